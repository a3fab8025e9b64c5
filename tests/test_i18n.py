def test_french_by_default_english_on_request(client, auth):
    auth.login()
    assert "Jeux-concours" in client.get("/").data.decode()
    client.post("/language/en")
    assert "Contests" in client.get("/").data.decode()
    client.post("/language/xx")  # unknown languages are ignored
    assert "Contests" in client.get("/").data.decode()


def test_browser_language_is_used_before_any_choice(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).data.decode()
    assert "Log in" in page
    page = client.get("/login", headers={"Accept-Language": "de"}).data.decode()
    assert "Connexion" in page


def test_the_login_prompt_speaks_the_visitors_language(client):
    french = client.get("/contests/new", follow_redirects=True).data.decode()
    assert "Connectez-vous pour accéder à cette page." in french and "Please log in" not in french
    english = client.get("/contests/new", follow_redirects=True,
                         headers={"Accept-Language": "en"}).data.decode()
    assert "Please log in to access this page." in english
