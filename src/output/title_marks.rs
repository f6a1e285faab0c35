//! What titles and texts say reliably, for XMLTV's flag elements: the ARIB programme marks
//! (STD-B24 additional symbols 90-53..90-81 — 🈞 再, 🈟 新, 🈠 初, 🈡 終, 🈑 字, 🈐 手 — or
//! their text forms `[再]`, `【再】`, `［再］`, `(再)`, `（再）`), open-subtitle notes, a film's
//! production year, and the `--sub-title` split.
//!
//! | mark | XMLTV |
//! |---|---|
//! | 再, or a series descriptor with repeat_label ≠ 0 | `<previously-shown/>` |
//! | 初 | `<premiere/>` |
//! | 終, or episode_number = last_episode_number ≠ 0 | `<last-chance/>` |
//! | 新 | `<new/>` |
//! | 字, captions in the data content descriptor, a DVB subtitle component | `<subtitles type="teletext"/>` |
//! | `字幕版`, `字幕スーパー` in the title (burnt-in subtitles) | `<subtitles type="onscreen"/>` |
//! | 手 (sign language) | `<subtitles type="deaf-signed"/>` |

/// An ARIB programme mark: the ideograph and its additional symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// 再 (re-run), U+1F21E.
    Rerun,
    /// 初 (first broadcast), U+1F220.
    First,
    /// 終 (last episode), U+1F221.
    Last,
    /// 新 (new programme), U+1F21F.
    New,
    /// 字 (captions), U+1F211.
    Captions,
    /// 手 (sign language), U+1F210.
    Signed,
}

impl Mark {
    fn chars(self) -> (char, char) {
        match self {
            Mark::Rerun => ('再', '\u{1F21E}'),
            Mark::First => ('初', '\u{1F220}'),
            Mark::Last => ('終', '\u{1F221}'),
            Mark::New => ('新', '\u{1F21F}'),
            Mark::Captions => ('字', '\u{1F211}'),
            Mark::Signed => ('手', '\u{1F210}'),
        }
    }
}

/// Whether `title` carries `mark` as the ARIB symbol or one of its bracketed text forms.
pub(super) fn has_mark(title: &str, mark: Mark) -> bool {
    let (ideograph, symbol) = mark.chars();
    if title.contains(symbol) {
        return true;
    }
    [
        ("【", "】"),
        ("[", "]"),
        ("［", "］"),
        ("(", ")"),
        ("（", "）"),
    ]
    .iter()
    .any(|(open, close)| title.contains(&format!("{open}{ideograph}{close}")))
}

/// Whether the title says the subtitles are burnt in (a subtitled, not dubbed, film).
pub(super) fn open_subtitles(title: &str) -> bool {
    title.contains("字幕版") || title.contains("字幕スーパー")
}

/// An ASCII or full-width digit's value.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(u32::from(c) - u32::from('0')),
        '０'..='９' => Some(u32::from(c) - u32::from('０')),
        _ => None,
    }
}

/// Words after `YYYY年` (and a separator) that make it a production or release year.
const AFTER: &[&str] = &["製作", "制作", "公開", "作品"];
/// Words before a year (within a few characters) that make it a production or release year.
const BEFORE: &[&str] = &["製作", "制作", "公開"];
/// Countries of a `（1995年・アメリカ）` production note.
const COUNTRIES: &[&str] = &[
    "米",
    "アメリカ",
    "英",
    "イギリス",
    "仏",
    "フランス",
    "独",
    "ドイツ",
    "伊",
    "イタリア",
    "日本",
    "韓国",
    "中国",
    "香港",
    "台湾",
    "スペイン",
    "カナダ",
    "オーストラリア",
    "インド",
];

/// The years in `s` stated as a production or release year: `1995年公開`, `1995年製作`,
/// `製作年：1995年`, `公開 1995`, `（1995年・アメリカ）`.
fn stated_years(s: &str, out: &mut Vec<u32>) {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0usize;
    while i + 4 <= chars.len() {
        let four: Option<Vec<u32>> = chars
            .get(i..i + 4)
            .map(|w| {
                w.iter()
                    .map(|&(_, c)| digit(c))
                    .collect::<Option<Vec<u32>>>()
            })
            .unwrap_or(None);
        let Some(ds) = four else {
            i += 1;
            continue;
        };
        let glued_before = i > 0 && chars.get(i - 1).and_then(|&(_, c)| digit(c)).is_some();
        let glued_after = chars.get(i + 4).and_then(|&(_, c)| digit(c)).is_some();
        let year = ds.iter().fold(0, |a, d| a * 10 + d);
        if glued_before || glued_after || !(1900..=2099).contains(&year) {
            i += 1;
            continue;
        }
        let start = chars.get(i).map_or(0, |&(b, _)| b);
        let end = chars.get(i + 4).map_or(s.len(), |&(b, _)| b);
        let after = s.get(end..).unwrap_or("");
        let before = s.get(..start).unwrap_or("");
        let separators: &[char] = &['・', '／', '/', ' ', '　', '、'];
        let after_year_word = after
            .strip_prefix('年')
            .map(|rest| rest.trim_start_matches(separators));
        let production_word =
            after_year_word.is_some_and(|rest| AFTER.iter().any(|w| rest.starts_with(w)));
        let production_note = before.ends_with(['（', '(', '【', '['])
            && after_year_word.is_some_and(|rest| COUNTRIES.iter().any(|c| rest.starts_with(c)));
        let tail: String = {
            let mut t: Vec<char> = before.chars().rev().take(6).collect();
            t.reverse();
            t.into_iter().collect()
        };
        let stated = production_word || production_note || BEFORE.iter().any(|w| tail.contains(w));
        if stated {
            out.push(year);
        }
        i += 4;
    }
}

/// The production or release year of a film as its title, text or extended items state it,
/// when they state exactly one.
pub(super) fn film_year(event: &crate::epg::Event) -> Option<u32> {
    let mut years = Vec::new();
    stated_years(&event.title, &mut years);
    stated_years(&event.text, &mut years);
    for (d, i) in &event.extended {
        stated_years(d, &mut years);
        stated_years(i, &mut years);
    }
    let first = *years.first()?;
    years.iter().all(|&y| y == first).then_some(first)
}

/// `--sub-title`: splits a title into title and sub-title at the first `「`, `#`/`＃`/`♯`
/// followed by a digit, or `第…話` that is not at its start, the way the original epgdump
/// did (its `subtitle_cnv_str`). Blanks around the cut are dropped. `None` when there is no
/// such marker or either part would be empty.
pub(super) fn split_sub_title(title: &str) -> Option<(&str, &str)> {
    let mut cut = None;
    for (i, c) in title.char_indices() {
        let rest = title.get(i + c.len_utf8()..).unwrap_or("");
        let marker = match c {
            '「' => true,
            '#' | '＃' | '♯' => rest.chars().next().and_then(digit).is_some(),
            '第' => super::episode::number_then(rest, '話'),
            _ => false,
        };
        if marker && i > 0 {
            cut = Some(i);
            break;
        }
    }
    let i = cut?;
    let blanks: &[char] = &[' ', '\u{3000}', '\t'];
    let (head, tail) = (
        title.get(..i)?.trim_end_matches(blanks),
        title.get(i..)?.trim_matches(blanks),
    );
    (!super::channel::is_blank(head) && !super::channel::is_blank(tail)).then_some((head, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_in_every_form() {
        assert!(has_mark("ニュース【再】", Mark::Rerun));
        assert!(has_mark("[再]ドラマ", Mark::Rerun));
        assert!(has_mark("ドラマ（再）", Mark::Rerun));
        assert!(has_mark("\u{1F21E}ＶＡＮで勝ち馬", Mark::Rerun));
        assert!(has_mark("映画[字]", Mark::Captions) && has_mark("🈐手話ニュース", Mark::Signed));
        assert!(!has_mark("再会", Mark::Rerun) && !has_mark("新番組のお知らせ", Mark::New));
        assert!(has_mark("🈡ドラマ", Mark::Last) && has_mark("[初]", Mark::First));
        assert!(open_subtitles("映画「ローマの休日」(字幕版)") && !open_subtitles("[字]ニュース"));
    }

    fn film(title: &str, text: &str) -> crate::epg::Event {
        crate::epg::Event {
            event_id: 1,
            start: None,
            duration: None,
            title: title.into(),
            text: text.into(),
            extended: vec![("番組内容".into(), "監督：山田".into())],
            extended_text: String::new(),
            genres: Vec::new(),
            video: None,
            audio: Vec::new(),
            series: None,
            event_group: Vec::new(),
            data_content: None,
            parental_rating: Vec::new(),
            free_ca_mode: false,
            running_status: 0,
            sources: Vec::new(),
            version_updated: false,
        }
    }

    #[test]
    fn film_years_only_when_stated_once() {
        let y = |t: &str, x: &str| film_year(&film(t, x));
        assert_eq!(
            y(
                "映画『ジュマンジ』",
                "それはこの世で最も危険なゲーム！　1995年公開"
            ),
            Some(1995)
        );
        assert_eq!(y("洋画", "（１９９５年・アメリカ）"), Some(1995));
        assert_eq!(y("洋画", "製作年：2001年　監督：…"), Some(2001));
        assert_eq!(y("洋画", "2003年製作。2004年公開"), None);
        // A date or an age is not a production year.
        assert_eq!(y("洋画", "2024年3月放送の再放送。1970年生まれ"), None);
        assert_eq!(y("洋画", "12345年公開"), None);
        assert_eq!(y("", ""), None);
    }

    #[test]
    fn sub_title_split_is_linear() {
        let t = format!("タイトル{}", "第".repeat(100_000));
        assert_eq!(split_sub_title(&t), None);
        let t = format!("タイトル{}", "「".repeat(100_000));
        assert!(split_sub_title(&t).is_some());
    }

    #[test]
    fn sub_title_split() {
        assert_eq!(
            split_sub_title("明日のよいち！「あの時君はワルかった」"),
            Some(("明日のよいち！", "「あの時君はワルかった」"))
        );
        assert_eq!(
            split_sub_title("東北魂ＴＶ #224　爆笑ユニットコント"),
            Some(("東北魂ＴＶ", "#224　爆笑ユニットコント"))
        );
        assert_eq!(
            split_sub_title("アニメ　進撃の巨人　第26話「決戦」"),
            Some(("アニメ　進撃の巨人", "第26話「決戦」"))
        );
        assert_eq!(split_sub_title("「特集」ニュース"), None);
        assert_eq!(split_sub_title("第100回全国高校野球"), None);
        assert_eq!(split_sub_title("ニュース"), None);
        assert_eq!(split_sub_title("C#入門"), None);
    }
}
