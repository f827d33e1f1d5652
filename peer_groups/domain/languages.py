"""The service's languages: Finnish (the default), Swedish and English, each named in itself."""

# Each language as a heading ("suomi") and as a choice in a menu ("Suomeksi").
NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
IN_LANGUAGE = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
LANGUAGES = tuple(NAMES)
DEFAULT = LANGUAGES[0]
# The `holidays` package's name for each, for the public holidays' names.
HOLIDAY_LOCALES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
