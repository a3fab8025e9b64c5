"""Words of the in-browser verifier (2/2): the checks, the verdict, the step names.

``static/verify/gdraw-verify.js`` holds no sentence. The certificate page renders
:func:`verifier_words` in its language into
``<script type="application/json" id="gdraw-messages">``; the script writes each
line from those words (``%(name)s`` arguments filled in by the script). The keys
are the script's message keys and the step codes of ``giveaway.core`` (which the
page never shows as they are).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.support import Translations

from giveaway.public.verifier_reasons import reason_words


def verifier_words(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str],
                   lang: str) -> dict[str, Any]:
    """Return the verifier's words translated by ``gettext`` / ``ngettext`` (babel's, not
    Flask-Babel's: texts come back unformatted), for a page in ``lang`` (a BCP 47 tag the
    script formats dates, numbers and plurals with: "fr", "en-GB").

    The result is ``{"lang", "messages": {key: text}, "plurals": {key: {"num": argument,
    "one": text, "other": text}}, "steps": {step code: name}}``.
    """
    return {"lang": lang, "messages": {**reason_words(gettext), **_check_words(gettext)},
            "plurals": _plural_words(ngettext), "steps": _step_names(gettext)}


def _check_words(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "document": _("%(protocol)s certificate (%(method)s) of draw %(drawId)s: N=%(count)s, "
                      "k=%(k)s, a=%(a)s, beacon %(kind)s"),
        "no_seed_commitment": _("no seed commitment: the rfc3797 method relies on the declared "
                                "public values alone"),
        "commitment_mismatch": _("the revealed seed does not match the commitment H(TAG ‖ "
                                 '"/commit" ‖ lp(draw_id) ‖ seed)'),
        "commitment_ok": _("the revealed seed matches the published commitment"),
        "declaration_differs": _("%(name)s differs from the declaration"),
        "declaration_digest": _("declaration_sha256 is not H(canonical(declaration))"),
        "declaration_ok": _("d = H(canonical(D)) = %(digest)s; salt, method, k, a and "
                            "committed_at are those declared"),
        "commitment_v2_mismatch": _("the revealed seed and the declaration do not match the "
                                    'commitment H(TAG ‖ "/commit" ‖ lp(draw_id) ‖ d ‖ seed): '
                                    "something declared was changed"),
        "commitment_v2_ok": _("the revealed seed and the declaration D match the published "
                              "commitment"),
        "declared_drand_ok": _("drand round %(round)s is the declared one"),
        "declared_drand_fail": _("the draw did not use the declared drand round %(round)s"),
        "declared_values_missing": _("the draw did not use the declared public values "
                                     "(beacon.sources is required)"),
        "declared_none_ok": _("commit-only, as declared"),
        "declared_none_fail": _("a beacon was used although none was declared"),
        "redeclaration_type": _("type must be %(type)s"),
        "redeclaration_draw": _("names another draw"),
        "redeclaration_chain": _("is chained to another declaration"),
        "redeclaration_seq": _("seq must be %(n)s (records in order, none missing)"),
        "redeclaration_reason": _("gives no reason"),
        "redeclaration_previous": _("does not replace the beacon in force"),
        "redeclaration_kind": _("changes the kind of randomness"),
        "redeclaration_later": _("does not move to a later beacon"),
        "redeclaration_existed": _("declares a beacon that already existed"),
        "redeclaration_early": _("is dated before the commitment"),
        "redeclaration_no_key": _("cannot be checked: the certificate is unsigned and no "
                                  "organiser key was given"),
        "redeclaration_note": _("anomaly: on %(at)s the beacon was redeclared from %(old)s to "
                                "%(new)s (later, as required); reason given: %(reason)s"),
        "published_ok": _("the commitment is the one published elsewhere"),
        "published_fail": _("the certificate's commitment is not the one published elsewhere"),
        "caption_not_code": _('%(caption)s is not a caption code ("gdraw-v2 <draw id> <code>")'),
        "caption_names": _("the caption names %(protocol)s %(drawId)s, the certificate is "
                           "%(certProtocol)s %(certDrawId)s"),
        "caption_code": _("the caption's code is not the start of the certificate's commitment: "
                          "the draw is not the one announced"),
        "caption_no_commitment": _("the certificate has no commitment to compare the caption code"
                                   " with"),
        "caption_ok": _("the caption code seen elsewhere pins this commitment"),
        "leaf_order_ok": _("the leaf list is strictly ascending (sorted, distinct)"),
        "leaf_duplicate": _("entries.leaves: leaf %(index)s is a duplicate (leaves must be "
                            "strictly ascending)"),
        "leaf_out_of_order": _("entries.leaves: leaf %(index)s is out of order (leaves must be "
                               "strictly ascending)"),
        "merkle_ok": _("Merkle root %(root)s"),
        "merkle_fail": _("the leaf list's Merkle root is %(got)s, entries.merkle_root says "
                         "%(root)s"),
        "beacon_none": _("commit-only: no external randomness (R = 0, B empty)"),
        "commit_only_warning": _("This draw used no external randomness (commit-only). The seed "
                                 "was fixed before the entries were known, but the organiser, who"
                                 " knew the seed, could still have added or removed entries to "
                                 "choose the winner. It is weaker than a draw tied to a public "
                                 "beacon."),
        "drand_ok": _("drand round %(round)s: randomness = SHA-256(signature)"),
        "drand_randomness": _("beacon.randomness is not SHA-256(beacon.signature)"),
        "bls_not_checked": _("the BLS signature of drand round %(round)s is not checked in the "
                             "browser (it needs a pairing library): it is checked by %(cli)s"),
        "key_string_sources": _("beacon.key_string %(keyString)s is not the key string of "
                                "beacon.sources (%(computed)s)"),
        "declared_ok": _("declared values, key string %(keyString)s"),
        "timeline_commit_freeze": _("the commitment precedes the freeze of the entries"),
        "timeline_commit_after_freeze": _("committed_at is after entries.frozen_at: the seed was "
                                          "committed after the list was frozen"),
        "timeline_round_ok": _("the entries were frozen before round %(round)s existed (%(when)s)"),
        "timeline_round_fail": _("entries.frozen_at is not before the time of round %(round)s "
                                 "(%(when)s): the randomness could be known before the freeze"),
        "timeline_opening_ok": _("committed before the entries opened"),
        "timeline_late_opening": _("committed after opens_at (a late opening), before the close: "
                                   "comments made before the commitment could count"),
        "timeline_after_close": _("committed_at is not before closes_at: the commitment came "
                                  "after the entries were closed"),
        "timeline_frozen_before_commit": _("entries.frozen_at is before committed_at"),
        "timeline_draw_after_freeze": _("the draw ran after the freeze"),
        "timeline_draw_before_freeze": _("drawn_at is before entries.frozen_at"),
        "timeline_beacon_ok": _("the entries were frozen before the randomness existed (%(when)s)"),
        "timeline_beacon_fail": _("entries.frozen_at is not before the beacon time %(when)s: the "
                                  "randomness could be known before the freeze"),
        "timeline_drawn_ok": _("the draw ran at or after the beacon time %(when)s"),
        "timeline_drawn_early": _("drawn_at %(drawn)s is before the beacon time %(when)s: the "
                                  "values used could not be known yet"),
        "not_timestamped": _("not timestamped"),
        "derivation": _("K = HMAC(seed, T) = %(key)s"),
        "derivation_rfc3797": _("RFC 3797 §4 positions from the key string"),
        "selection_count": _("result.%(name)s lists %(stated)s, the draw gives %(expected)s"),
        "selection_index": _("result.%(name)s[%(i)s].index is %(got)s, the draw gives %(want)s"),
        "selection_ok": _("winners %(won)s and alternates %(alt)s are those the draw gives"),
        "result_leaf": _("result.%(name)s[%(i)s].leaf is not leaf %(index)s of the list"),
        "result_leaves_ok": _("each winner's and alternate's leaf is the one at its index"),
        "unsigned": _("unsigned: the document carries no signature"),
        "unsigned_with_key": _("unsigned: the document carries no signature, but the organiser's "
                               "key was given: a genuine certificate is signed"),
        "signature_value": _("signature.value is missing or not a string"),
        "signature_alg": _("signature.alg is %(alg)s, only 'Ed25519' is supported"),
        "signature_unchecked": _("signed, but not checked: the document embeds no public key; "
                                 "supply the organiser's key"),
        "signature_public_key": _("signature.public_key is not 64 hex digits"),
        "signature_key_id": _("signature.key_id %(stated)s is not the id of the public key used "
                              "(%(id)s)"),
        "ed25519_unsupported": _("this browser cannot check Ed25519 signatures: use %(cli)s"),
        "signature_mismatch": _("the Ed25519 signature does not match the document (changed after"
                                " signing, or signed by another key)"),
        "signature_ok": _("valid Ed25519 signature, key id %(id)s"),
        "self_embedded_key": _("the signature was checked against the public key embedded in the "
                               "document itself: this proves the document is intact, not who "
                               "signed it; check it against the organiser's published key to "
                               "prove its origin"),
        "downloading_certificate": _("Downloading the certificate…"),
        "downloading_leaves": _("Downloading the leaf list…"),
        "checking": _("Checking: %(step)s…"),
        "merkle_level": _("level %(depth)s of %(levels)s"),
        "checked_in": _("Checked in %(seconds)s s."),
        "verdict_ok": _("VERIFIED: every check passed"),
        "spoken_ok": _("passed"),
        "spoken_fail": _("failed"),
        "spoken_note": _("information, or not checked here"),
        "list_separator": _("; "),
        "checking_detail": _("Checking: %(step)s… (%(detail)s)"),
        "subject_not_timestamped_commitment": _("commitment not timestamped"),
        "subject_not_timestamped_freeze": _("freeze not timestamped"),
        "timestamp_not_checked_commitment": _("commitment time-stamp from %(tsa)s: not checked in"
                                              " the browser (an RFC 3161 token is a CMS "
                                              "signature): it is checked by %(cli)s"),
        "timestamp_not_checked_freeze": _("freeze time-stamp from %(tsa)s: not checked in the "
                                          "browser (an RFC 3161 token is a CMS signature): it is "
                                          "checked by %(cli)s"),
        "verdict_ok_unchecked": _("VERIFIED: every check passed (those marked – are not checked "
                                  "in a browser: run %(cli)s for them)"),
        "line": _("%(step)s: %(message)s"),
    }


def _plural_words(translate: Callable[[str, str, int], str]) -> dict[str, dict[str, str]]:
    def ngettext(singular: str, plural: str, num: str) -> dict[str, str]:
        # Named so that pybabel extracts both forms; "num" names the counting argument.
        return {"num": num, "one": translate(singular, plural, 1),
                "other": translate(singular, plural, 2)}

    return {
        "verdict_fail": ngettext("NOT VERIFIED: %(n)s check failed",
                                 "NOT VERIFIED: %(n)s checks failed", "n"),
        "declared_shape": ngettext("the values do not have the declared shape: %(n)s source of "
                                   "%(declared)s values declared, %(given)s given",
                                   "the values do not have the declared shape: %(n)s sources of "
                                   "%(declared)s values declared, %(given)s given", "n"),
        "declared_shape_ok": ngettext("%(n)s source of %(counts)s values, as declared "
                                      "(%(description)s)",
                                      "%(n)s sources of %(counts)s values, as declared "
                                      "(%(description)s)", "n"),
        "leaf_count_ok": ngettext("the leaf list holds entries.count = %(count)s leaf",
                                  "the leaf list holds entries.count = %(count)s leaves", "count"),
        "leaf_count_fail": ngettext("the leaf list holds %(got)s leaf, entries.count says "
                                    "%(count)s",
                                    "the leaf list holds %(got)s leaves, entries.count says "
                                    "%(count)s", "got"),
    }


def _step_names(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "document": _("Document"),
        "declaration": _("Declaration"),
        "redeclaration": _("Redeclaration"),
        "beacon-declared": _("Declared randomness"),
        "commitment": _("Commitment"),
        "commitment-published": _("Published commitment"),
        "caption": _("Caption code"),
        "leaf-order": _("Order of the list"),
        "leaf-count": _("Number of entries"),
        "merkle-root": _("Merkle root"),
        "beacon": _("Public randomness"),
        "beacon-signature": _("Signature of the randomness"),
        "timeline": _("Timeline"),
        "timestamp": _("Time-stamps"),
        "derivation": _("Key derivation"),
        "selection": _("Selection"),
        "result-leaves": _("Winners' entries"),
        "signature": _("Signature"),
        "browser": _("Browser"),
    }


def catalogue_words(lang: str) -> dict[str, Any]:
    """The verifier's words in ``lang`` read from the package's catalogues (no app needed:
    pages built outside the app, tests); English, the msgids, when there is no catalogue."""
    translations = Translations.load(str(Path(__file__).parents[1] / "translations"), [lang])
    # English dates and numbers are written as British, as the app writes them.
    return verifier_words(translations.gettext, translations.ngettext,
                          "en-GB" if lang == "en" else lang)
