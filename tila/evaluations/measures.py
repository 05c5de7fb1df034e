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


def _axes(
    title_fi: str, title_en: str, intro_fi: str, intro_en: str, when_fi: str, when_en: str
) -> Measure:
    """An evaluation along the two axes of supervision, cooperation and goals, with open
    questions."""
    return {
        "title_fi": title_fi,
        "title_en": title_en,
        "intro_fi": intro_fi,
        "intro_en": intro_en,
        "sections": [
            {
                "title_fi": "Yhteistyö",
                "title_en": "Cooperation",
                "items": [
                    {
                        "kind": "scale10",
                        "fi": "Yhteistyö työnohjaajan kanssa toimii.",
                        "en": "Working with the supervisor works well.",
                        **_NOT_AT_ALL,
                        **_FULLY,
                    },
                    {
                        "kind": "scale10",
                        "fi": "Työnohjauksessa on turvallista puhua vaikeistakin asioista.",
                        "en": "In supervision it is safe to speak of hard things too.",
                        **_NOT_AT_ALL,
                        **_FULLY,
                    },
                    {
                        "kind": "scale10",
                        "fi": "Työskentelytavat sopivat meille.",
                        "en": "The ways of working suit us.",
                        **_NOT_AT_ALL,
                        **_FULLY,
                    },
                ],
            },
            {
                "title_fi": "Tavoitteet",
                "title_en": "Goals",
                "items": [
                    {
                        "kind": "scale10",
                        "fi": "Olemme edenneet kohti sovittuja tavoitteita.",
                        "en": "We have moved towards the goals we agreed.",
                        **_NOT_AT_ALL,
                        **_FULLY,
                    },
                    {
                        "kind": "scale10",
                        "fi": "Työnohjaus on näkynyt työssäni.",
                        "en": "Supervision has shown in my work.",
                        **_NOT_AT_ALL,
                        "high_fi": "Erittäin paljon",
                        "high_en": "Very much",
                    },
                    {
                        "kind": "scale10",
                        "fi": "Tavoitteet ovat yhä oikeat.",
                        "en": "The goals are still the right ones.",
                        **_NOT_AT_ALL,
                        **_FULLY,
                    },
                ],
            },
            {
                "title_fi": "Omin sanoin",
                "title_en": "In your own words",
                "items": [
                    {
                        "kind": "long",
                        "fi": "Mikä työnohjauksessa on toiminut?",
                        "en": "What has worked in supervision?",
                    },
                    {"kind": "long", "fi": when_fi, "en": when_en},
                ],
            },
        ],
    }


INTERIM = _axes(
    "Väliarviointi",
    "Interim evaluation",
    "Puolivälin arviointi: miten yhteistyö sujuu ja miten olemme edenneet kohti tavoitteita.",
    "Halfway: how the cooperation goes and how we have moved towards the goals.",
    "Mitä pitäisi jatkossa tehdä toisin?",
    "What should we do differently from now on?",
)

FINAL = _axes(
    "Loppuarviointi",
    "Final evaluation",
    "Työnohjauksen lopussa: miten yhteistyö sujui ja mihin tavoitteissa päästiin.",
    "At the end of the supervision: how the cooperation went and how far the goals were reached.",
    "Mitä otat työnohjauksesta mukaasi?",
    "What do you take with you from the supervision?",
)

GOAL_ATTAINMENT = "goal_attainment"


def goal_attainment(goals: list[tuple[int, str]]) -> Measure:
    """One 0–10 item per goal of the contract: the goal's id and text."""
    return {
        "title_fi": "Tavoitteiden saavuttaminen",
        "title_en": "Reaching the goals",
        "intro_fi": (
            "Sama kysymys kysytään alussa, välissä ja lopussa, jotta näette, miten "
            "tavoitteet etenevät."
        ),
        "intro_en": (
            "The same question is asked at the start, halfway and at the end, so that you "
            "see how the goals move on."
        ),
        "sections": [
            {
                "title_fi": "Kuinka pitkällä olemme kohti tätä tavoitetta?",
                "title_en": "How far are we towards this goal?",
                "items": [
                    {
                        "kind": "scale10",
                        "fi": text,
                        "en": "",
                        "goal": goal_id,
                        "low_fi": "Emme ole vielä alkaneet",
                        "low_en": "We have not started",
                        "high_fi": "Tavoite on saavutettu",
                        "high_en": "The goal is reached",
                    }
                    for goal_id, text in goals
                ],
            }
        ],
    }


MEASURES: dict[str, Measure] = {
    "session_feedback": SESSION_FEEDBACK,
    "baseline": BASELINE,
    "interim": INTERIM,
    "final": FINAL,
}
