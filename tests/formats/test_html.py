"""Card HTML from files: formatting kept, anything that runs or fetches removed."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flashcards.formats import html
from flashcards.formats.html import clean_html, sound_names, text_line, text_to_html


def test_scripts_handlers_and_remote_resources_are_removed():
    cleaned = clean_html('<b onclick="steal()">bold</b><script>alert(1)</script>'
                         '<img src="https://tracker.example/p.gif"><img src="cat.jpg">'
                         '<a href="javascript:alert(1)">link</a>')
    assert cleaned == '<b>bold</b><img><img src="cat.jpg"><a rel="noopener noreferrer">link</a>'


def test_the_cloze_class_is_kept_on_spans_and_no_other_class_anywhere():
    cleaned = clean_html('<span class="cloze">[...]</span> <span class="cloze question">x</span>'
                         '<b class="cloze">y</b><div class="answer">z</div>')
    assert cleaned == '<span class="cloze">[...]</span> <span class="cloze">x</span><b>y</b><div>z</div>'


def test_plain_text_becomes_safe_html_with_its_line_breaks():
    assert text_to_html("a < b\r\nand c") == "a &lt; b<br>and c"


@settings(max_examples=500)
@given(st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from("<>&\r\x00\xa0\ufeff ab")))
def test_the_shortcut_for_plain_text_gives_what_the_sanitiser_gives(text):
    assume("[sound:" not in text)  # a sound's name is kept as text: see below
    assert clean_html(text) == html._CLEANER.clean(text)


def test_a_lone_surrogate_becomes_a_replacement_character():
    assert clean_html("caf\ud800 <b>x</b>") == "caf\ufffd <b>x</b>"


def test_card_html_reads_as_one_line_of_text():
    assert text_line("<b>Fr</b>ance<br>is&nbsp;a\n\t country") == "France is a country"
    assert text_line("<p>one</p><p>two</p>") == "one two"
    assert text_line('a cat: <img src="cat.jpg">, &lt;purrs&gt;') == "a cat: cat.jpg , <purrs>"


def test_sound_markers_keep_their_names_through_the_sanitiser():
    cleaned = clean_html('<b>[sound:a<b>c.mp3]</b> [sound:rock & roll.ogg]<script>x</script>'
                         '[sound:caf\u00e9 "live".mp3]')
    assert cleaned == ('<b>[sound:a&lt;b&gt;c.mp3]</b> [sound:rock &amp; roll.ogg]'
                       '[sound:caf\u00e9 "live".mp3]')
    assert sound_names(cleaned) == ["a<b>c.mp3", "rock & roll.ogg", 'caf\u00e9 "live".mp3']


def test_a_listing_shows_a_sound_as_its_file_name():
    assert text_line("<b>hello</b>[sound:hello &amp; bye.mp3]") == "hello hello & bye.mp3"
