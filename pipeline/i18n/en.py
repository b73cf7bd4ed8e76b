"""English wording of the layout (UN Editorial Manual usage)."""

from __future__ import annotations

from typing import Any

TABLE: dict[str, Any] = {
    "code": "en",
    "iso639_2": "eng",
    "job_letter": "E",
    "united_nations": "United Nations",
    "organs": {
        "general-assembly": "General Assembly",
        "security-council": "Security Council",
        "economic-and-social-council": "Economic and Social Council",
        "secretariat": "Secretariat",
    },
    "distribution_label": "Distr.: {distribution}",
    "distributions": {"general": "General", "limited": "Limited", "restricted": "Restricted"},
    "original_label": "Original: {language}",
    "language_names": {
        "ar": "Arabic", "zh": "Chinese", "en": "English",
        "fr": "French", "ru": "Russian", "es": "Spanish",
    },
    "annex": "Annex",
    "annex_numbered": "Annex {number}",
    "only_in": "[{language} only]",
    "continued": "continued",
    "agenda_item": "Agenda item {number}: ",
    "column_heads": ("Date/time", "Agenda item/programme"),
    "minutes": "({minutes} minutes)",
    "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "months": ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December"),
    "ordinals": {
        1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth",
        7: "Seventh", 8: "Eighth", 9: "Ninth", 10: "Tenth", 11: "Eleventh", 12: "Twelfth",
        13: "Thirteenth", 14: "Fourteenth", 15: "Fifteenth", 16: "Sixteenth",
        17: "Seventeenth", 18: "Eighteenth", 19: "Nineteenth", 20: "Twentieth",
    },
    "session_kinds": {
        "substantive": "substantive", "organizational": "organizational",
        "resumed": "resumed", "special": "special",
    },
    "session_line": "{ordinal} {kind} session",
    "place_dates": "{place}, {dates}",
    "notes_heading": "Notes",
    "please_recycle": "Please recycle",
    "bullet": "–",
    "sub_item_label": "({letter})",
    "page_title": "{symbol}: {title}",
    "page_description": "{title}. {body}. {session}, {place_dates}.",
    "note_call_label": "Note {number}",
    "note_back_label": "Back to the call of note {number}",
}
