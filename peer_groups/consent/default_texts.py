"""The first version of each consent text, written for a 17-year-old. Admins publish newer ones.

The migration that creates the consent tables inserts these, so every database has them.
"""

from peer_groups.domain.languages import LANGUAGES

DEFAULT_TEXTS = {
    "attendance": {
        "fi": (
            "Saammeko merkitä nimesi tapaamisten osallistujalistaan?\n\n"
            "Mitä tallennetaan: missä tapaamisissa olit paikalla.\n"
            "Kuka näkee: vain ryhmäsi ohjaajat.\n"
            "Kuinka kauan: enintään 2 vuotta, sitten nimesi poistetaan ja jäljelle jää vain "
            "luku.\n"
            "Jos sanot ei: sinut lasketaan mukaan nimettömänä. Se ei vaikuta mihinkään muuhun.\n"
            "Voit muuttaa mieltäsi milloin tahansa. Jos perut, nimesi poistetaan myös "
            "aiemmista tapaamisista."
        ),
        "sv": (
            "Får vi skriva upp ditt namn när du är med på träffarna?\n\n"
            "Vad sparas: vilka träffar du var med på.\n"
            "Vem ser det: bara handledarna i din grupp.\n"
            "Hur länge: högst 2 år, sedan tas ditt namn bort och bara antalet finns kvar.\n"
            "Om du säger nej: du räknas med utan namn. Det påverkar inget annat.\n"
            "Du kan ändra dig när som helst. Om du tar tillbaka ditt ja tas ditt namn bort "
            "också från tidigare träffar."
        ),
        "en": (
            "May we write your name on the attendance list of the meetings?\n\n"
            "What is kept: which meetings you came to.\n"
            "Who sees it: only your group's workers.\n"
            "How long: at most 2 years, then your name is removed and only the number stays.\n"
            "If you say no: you are counted without a name. Nothing else changes.\n"
            "You can change your mind any time. If you take it back, your name is removed "
            "from earlier meetings too."
        ),
    },
    "reminders": {
        "fi": (
            "Saammeko lähettää sinulle muistutuksen ennen tapaamista, johon olet "
            "ilmoittautunut?\n\n"
            "Mitä käytetään: sähköpostisi tai puhelinnumerosi.\n"
            "Milloin: tapaamista edeltävänä päivänä ja tapaamispäivän aamuna.\n"
            "Jos sanot ei: et saa muistutuksia. Ilmoittautuminen toimii silti.\n"
            "Voit muuttaa mieltäsi milloin tahansa."
        ),
        "sv": (
            "Får vi skicka en påminnelse före en träff som du har anmält dig till?\n\n"
            "Vad används: din e-post eller ditt telefonnummer.\n"
            "När: dagen före träffen och på morgonen samma dag.\n"
            "Om du säger nej: du får inga påminnelser. Anmälan fungerar ändå.\n"
            "Du kan ändra dig när som helst."
        ),
        "en": (
            "May we send you a reminder before a meeting you signed up for?\n\n"
            "What is used: your email or phone number.\n"
            "When: the day before the meeting and on the morning of the day.\n"
            "If you say no: you get no reminders. Signing up still works.\n"
            "You can change your mind any time."
        ),
    },
    "dietary": {
        "fi": (
            "Saammeko tallentaa ruokavaliosi, jotta välipala sopii sinulle?\n\n"
            "Mitä tallennetaan: ruokavaliosi (esim. kasvis, gluteeniton, pähkinäallergia).\n"
            "Kuka näkee: ohjaajat näkevät vain yhteismäärät, esim. \"2 vegaania\", ei "
            "nimiä.\n"
            "Kuinka kauan: niin kauan kuin annat luvan ja käyt tapaamisissa.\n"
            "Voit muuttaa mieltäsi milloin tahansa. Jos perut, tieto poistetaan heti."
        ),
        "sv": (
            "Får vi spara din specialkost så att mellanmålet passar dig?\n\n"
            "Vad sparas: din kost (t.ex. vegetarisk, glutenfri, nötallergi).\n"
            "Vem ser det: handledarna ser bara antal, t.ex. \"2 veganer\", inga namn.\n"
            "Hur länge: så länge du ger lov och kommer på träffar.\n"
            "Du kan ändra dig när som helst. Om du tar tillbaka ditt ja raderas uppgiften "
            "direkt."
        ),
        "en": (
            "May we keep your dietary needs so that the snacks suit you?\n\n"
            "What is kept: your diet (e.g. vegetarian, gluten-free, nut allergy).\n"
            "Who sees it: workers see only totals, like \"2 vegan\", never names.\n"
            "How long: as long as you allow it and come to meetings.\n"
            "You can change your mind any time. If you take it back, it is deleted at once."
        ),
    },
}


def default_rows():
    return [
        {"purpose": purpose, "version": 1, "minor": False,
         **{f"text_{code}": texts[code] for code in LANGUAGES}}
        for purpose, texts in DEFAULT_TEXTS.items()
    ]
