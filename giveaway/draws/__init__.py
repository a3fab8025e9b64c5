"""The draw in the app: commitment at opening, freeze, the draw, winners' follow-up."""
