"""Tila's own built-in measures, as data. Plainly worded; none of them is a licensed instrument.

Each measure: titles and introduction in Finnish and English, and sections of items. An item
gives its kind (``tila.evaluations.models.ItemKind``), its text, for a 0–10 scale the labels
of its ends, for a choice its choices, and whether an answer is required (default: yes, except
for text)."""

from typing import Any

Measure = dict[str, Any]

_NOT_AT_ALL = {"low_fi": "Ei lainkaan", "low_en": "Not at all"}
_FULLY = {"high_fi": "Täysin", "high_en": "Completely"}

SESSION_FEEDBACK: Measure = {
    "title_fi": "Palaute tapaamisesta",
    "title_en": "Feedback on the meeting",
    "intro_fi": "Neljä lyhyttä kysymystä tämänkertaisesta tapaamisesta. Vastaaminen vie minuutin.",
    "intro_en": "Four short questions about this meeting. Answering takes a minute.",
    "sections": [
        {
            "title_fi": "",
            "title_en": "",
            "items": [
                {
                    "kind": "scale10",
                    "fi": "Tulin kuulluksi.",
                    "en": "I felt heard.",
                    **_NOT_AT_ALL,
                    **_FULLY,
                },
                {
                    "kind": "scale10",
                    "fi": "Käsittelimme minulle tärkeitä asioita.",
                    "en": "We worked on things that matter to me.",
                    **_NOT_AT_ALL,
                    **_FULLY,
                },
                {
                    "kind": "scale10",
                    "fi": "Työskentelytapa sopi meille.",
                    "en": "The way we worked suited us.",
                    **_NOT_AT_ALL,
                    **_FULLY,
                },
                {
                    "kind": "scale10",
                    "fi": "Tapaamisesta oli minulle hyötyä.",
                    "en": "The meeting was useful to me.",
                    **_NOT_AT_ALL,
                    "high_fi": "Erittäin paljon",
                    "high_en": "Very much",
                },
                {
                    "kind": "long",
                    "fi": "Mitä otat mukaasi? Mitä toivoisit ensi kerralla toisin?",
                    "en": "What do you take with you? What would you like done differently?",
                },
            ],
        }
    ],
}

_AGREE_ITEMS = [
    (
        "Pystyn kohtaamaan työni vaikeat tilanteet rauhallisesti.",
        "I can meet the hard situations of my work calmly.",
    ),
    ("Työmääräni on kohtuullinen.", "My workload is reasonable."),
    ("Jaksan työssäni hyvin.", "I am coping well at work."),
    (
        "Tiedän, mistä saan tukea ja voimia työhöni.",
        "I know where to find support and strength for my work.",
    ),
    (
        "Löydän työni pulmiin uusia näkökulmia.",
        "I find new perspectives on the problems of my work.",
    ),
    ("Koen kehittyväni ammatillisesti.", "I feel I am growing professionally."),
    (
        "Työyhteisömme vuorovaikutus toimii.",
        "The interaction in our team works.",
    ),
]

BASELINE: Measure = {
    "title_fi": "Lähtötilanne ja muutos",
    "title_en": "Where we start, and what changed",
    "intro_fi": (
        "Vastaa sen mukaan, miltä työsi tuntuu nyt. Sama kysely toistetaan työnohjauksen "
        "lopussa, jotta muutos näkyy."
    ),
    "intro_en": (
        "Answer as your work feels now. The same questionnaire is repeated at the end of the "
        "supervision so that change shows."
    ),
    "sections": [
        {
            "title_fi": "Työni nyt",
            "title_en": "My work now",
            "items": [
                {"kind": "agree5", "fi": finnish, "en": english}
                for finnish, english in _AGREE_ITEMS
            ],
        },
        {
            "title_fi": "Toiveet työnohjaukselle",
            "title_en": "What I hope for",
            "items": [
                {
                    "kind": "multiple",
                    "fi": "Mihin toivot työnohjauksen keskittyvän?",
                    "en": "What would you like the supervision to focus on?",
                    "required": False,
                    "choices": [
                        {
                            "fi": "Asiakastyön vaikeat tilanteet",
                            "en": "Hard situations with clients",
                        },
                        {"fi": "Jaksaminen ja työmäärä", "en": "Coping and workload"},
                        {"fi": "Työyhteisön vuorovaikutus", "en": "Interaction in the team"},
                        {"fi": "Oma ammatillinen kasvu", "en": "My professional growth"},
                        {"fi": "Työn muutokset", "en": "Changes at work"},
                    ],
                },
                {
                    "kind": "long",
                    "fi": "Mitä muuta toivot työnohjaukselta?",
                    "en": "What else do you hope for from supervision?",
                },
            ],
        },
    ],
}

MEASURES: dict[str, Measure] = {
    "session_feedback": SESSION_FEEDBACK,
    "baseline": BASELINE,
}
