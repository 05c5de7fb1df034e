from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.live.actions import TURN_ACTIONS
from tila.live.board import DEFAULT_FIELDS, FIELD_LABEL_LENGTH, MAX_DOTS
from tila.live.decks import CARD_DECKS, DECKS, find_deck, is_own_key
from tila.live.methods import DEFAULT_ENDS, INFO, READY_QUESTIONS
from tila.live.models import CODE_LENGTH, Layout, Method, OwnDeck, Phase, State
from tila.live.turns import TURN_CHOICES
from tila.live.uploads import ImageRejected, max_bytes, reencode

PROMPT_LENGTH = 300


def ready_field(method: str) -> str:
    return f"ready_{method}"


class NewRunForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(key, INFO[key].name) for key in Method.values],
        widget=forms.RadioSelect,
        initial=Method.SCALE,
    )
    prompt = forms.CharField(
        label=_("Question or instruction"),
        max_length=PROMPT_LENGTH,
        required=False,
        help_text=_(
            "Write your own, pick a ready one under the method's settings, or leave empty for "
            "the method's own question."
        ),
    )
    deck = forms.ChoiceField(
        label=_("Deck (for cards)"),
        choices=[(key, DECKS[key].name) for key in CARD_DECKS],
        initial="pictures",
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: no names are shown with the answers"),
        required=False,
        initial=True,
    )
    k = forms.IntegerField(
        label=_("Show the result only when there are at least this many answers"),
        min_value=1,
        max_value=50,
        initial=3,
        help_text=_("With fewer answers nothing is shown anywhere, so no one can be recognised."),
    )
    show_live = forms.BooleanField(
        label=_("Show the result while answers come in (otherwise only at the reveal)"),
        required=False,
    )
    second_mark = forms.BooleanField(
        label=_("Scale: ask also where one would like to be next"), required=False
    )

    left_label = forms.CharField(
        label=_("Line-up: the left end of the line"), max_length=60, required=False
    )
    right_label = forms.CharField(
        label=_("Line-up: the right end of the line"), max_length=60, required=False
    )

    layout = forms.ChoiceField(
        label=_("Board: layout"),
        choices=Layout.choices,
        initial=Layout.FREE,
        required=False,
    )
    field_1 = forms.CharField(
        label=_("Four-field: the first field"),
        max_length=FIELD_LABEL_LENGTH,
        required=False,
        initial=DEFAULT_FIELDS[0],
    )
    field_2 = forms.CharField(
        label=_("Four-field: the second field"),
        max_length=FIELD_LABEL_LENGTH,
        required=False,
        initial=DEFAULT_FIELDS[1],
    )
    field_3 = forms.CharField(
        label=_("Four-field: the third field"),
        max_length=FIELD_LABEL_LENGTH,
        required=False,
        initial=DEFAULT_FIELDS[2],
    )
    field_4 = forms.CharField(
        label=_("Four-field: the fourth field"),
        max_length=FIELD_LABEL_LENGTH,
        required=False,
        initial=DEFAULT_FIELDS[3],
    )
    dots = forms.IntegerField(
        label=_("Board: dots for each participant"),
        min_value=0,
        max_value=MAX_DOTS,
        initial=3,
        required=False,
        help_text=_("For dot-voting the notes once the board is shown. 0: no voting."),
    )

    turn_seconds = forms.TypedChoiceField(
        label=_("Round: speaking time for each"),
        choices=[
            (seconds, _("%(minutes)s min") % {"minutes": f"{seconds / 60:g}".replace(".", ",")})
            for seconds in TURN_CHOICES
        ],
        coerce=int,
        initial=120,
        required=False,
    )
    reflecting = forms.BooleanField(
        label=_(
            "Round: phases of a reflecting team (the case, the team reflects, the case owner "
            "answers)"
        ),
        required=False,
    )

    # The settings that only one method uses, shown under that method's name.
    METHOD_FIELDS: dict[str, tuple[str, ...]] = {
        Method.SCALE: ("second_mark",),
        Method.CARDS: ("deck",),
        Method.LINEUP: ("left_label", "right_label"),
        Method.BOARD: ("layout", "field_1", "field_2", "field_3", "field_4", "dots"),
        Method.TURNS: ("turn_seconds", "reflecting"),
    }

    def common_fields(self) -> list[forms.BoundField]:
        own = {name for names in self.METHOD_FIELDS.values() for name in names}
        own.update(ready_field(method) for method in Method.values)
        return [self[name] for name in self.fields if name != "method" and name not in own]

    def method_fields(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [
            (
                method,
                INFO[method].name,
                [self[ready_field(method)]]
                + [self[name] for name in self.METHOD_FIELDS.get(method, ())],
            )
            for method in Method.values
        ]

    def __init__(self, *args: Any, own_decks: list[OwnDeck] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for method in Method.values:
            self.fields[ready_field(method)] = forms.TypedChoiceField(
                label=_("%(method)s: a ready question") % {"method": INFO[method].name},
                choices=[("", _("(the method's own question)"))]
                + [(index, text) for index, text in enumerate(READY_QUESTIONS[method])],
                coerce=int,
                empty_value=None,
                required=False,
            )
        if own_decks:
            field = self.fields["deck"]
            field.choices = [  # type: ignore[attr-defined]
                (_("Tila's decks"), [(key, DECKS[key].name) for key in CARD_DECKS]),
                (_("My own decks"), [(deck.key, deck.name) for deck in own_decks]),
            ]
            if any(not deck.pictures for deck in own_decks):
                field.help_text = _(
                    "Your own word decks can also be used for the emotion check-in and "
                    "strengths, instead of Tila's words."
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["turn_seconds"] = cleaned.get("turn_seconds") or 120
        labels = [cleaned.pop(f"field_{n}", "") or "" for n in range(1, 5)]
        cleaned["area_labels"] = "\n".join(" ".join(label.split()) for label in labels)
        if cleaned.get("dots") is None and "dots" not in self.errors:
            cleaned["dots"] = 3
        if not cleaned.get("layout"):
            cleaned["layout"] = Layout.FREE
        method = cleaned.get("method")
        ready = {key: cleaned.pop(ready_field(key), None) for key in Method.values}
        if method and not cleaned.get("prompt"):
            chosen = ready.get(method)
            cleaned["prompt"] = str(
                INFO[method].default_prompt if chosen is None else READY_QUESTIONS[method][chosen]
            )
        if method == Method.LINEUP:
            cleaned["left_label"] = cleaned.get("left_label") or str(DEFAULT_ENDS[0])
            cleaned["right_label"] = cleaned.get("right_label") or str(DEFAULT_ENDS[1])
        if method in (Method.STRENGTHS, Method.TURNS) and cleaned.get("anonymous"):
            # Strengths are given to named colleagues: everyone joins by name. Who gave what
            # stays hidden all the same.
            cleaned["anonymous"] = False
        if not cleaned.get("deck"):
            cleaned["deck"] = "pictures"
        if method in (Method.EMOTION, Method.STRENGTHS) and is_own_key(cleaned["deck"]):
            chosen = find_deck(cleaned["deck"])
            if chosen is None or chosen.is_pictures:
                self.add_error(
                    "deck",
                    _("The emotion check-in and strengths take words: pick a word deck."),
                )
        return cleaned


class MoveNoteForm(forms.Form):
    """The supervisor's move of a board's note (``tila.live.actions.move_board_note``)."""

    note = forms.UUIDField()
    move = forms.ChoiceField(
        choices=[(move, move) for move in ("area", "earlier", "later", "group", "ungroup")]
    )
    area = forms.IntegerField(min_value=0, max_value=3, required=False)
    group = forms.IntegerField(min_value=0, max_value=10_000, required=False)


class TurnForm(forms.Form):
    """The supervisor's steering of a round (``tila.live.actions.steer_turns``)."""

    action = forms.ChoiceField(choices=[(action, action) for action in TURN_ACTIONS])
    participant = forms.UUIDField(required=False)
    phase = forms.ChoiceField(choices=Phase.choices, required=False)


class ControlForm(forms.Form):
    state = forms.ChoiceField(choices=[(s, s) for s in State.values if s != State.ENDED])


class NextPromptForm(forms.Form):
    prompt = forms.CharField(label=_("Next question"), max_length=PROMPT_LENGTH)


class EndForm(forms.Form):
    save = forms.ChoiceField(
        label=_("The result"),
        choices=[
            ("discard", _("Do not save: the answers are deleted")),
            ("save", _("Save a summary to the meeting's record (without names)")),
        ],
        initial="discard",
        widget=forms.RadioSelect,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class JoinForm(forms.Form):
    name = forms.CharField(
        label=_("Your first name"),
        max_length=60,
        required=False,
        help_text=_("In this exercise the answers are shown with names."),
    )


class DeckForm(forms.ModelForm[OwnDeck]):
    class Meta:
        model = OwnDeck
        fields = ["name", "language", "pictures"]
        labels = {
            "name": _("Name of the deck"),
            "pictures": _("Picture cards (each card has a picture)"),
        }
        help_texts = {"language": _("The language of the cards' words and captions.")}


class DeckEditForm(forms.ModelForm[OwnDeck]):
    class Meta:
        model = OwnDeck
        fields = ["name", "language"]
        labels = {"name": _("Name of the deck")}


class CardForm(forms.Form):
    """A card's word (or a picture's caption, its text alternative) and its picture."""

    text = forms.CharField(label=_("Word or caption"), max_length=80)
    image = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(
        self, *args: Any, pictures: bool = False, needs_image: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not pictures:
            del self.fields["image"]
        else:
            self.fields["image"].help_text = _(
                "JPEG, PNG or WebP, at most %(mb)s MB. Use only pictures you may use."
            ) % {"mb": max_bytes() // 2**20}
        self.needs_image = needs_image
        self.picture: bytes | None = None

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if not upload:
            if self.needs_image:
                raise forms.ValidationError(_("Choose a picture for the card."))
            return None
        try:
            self.picture = reencode(upload)
        except ImageRejected as error:
            raise forms.ValidationError(str(error)) from error
        return upload
