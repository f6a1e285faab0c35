//! Episode numbers for XMLTV's `episode-num`: from the ARIB series descriptor (STD-B10 6.2.33)
//! or, when it gives none, from the title or text the way Japanese broadcasters write them.
//!
//! Forms recognised ([`episode_in`]), digits ASCII or full-width, `第…話`/`第…回` also in kanji
//! numerals (`第二十六話`):
//!
//! | form | example | where |
//! |---|---|---|
//! | `第N話` | `第26話`, `第２６話`, `第二十六話` | title, then text |
//! | `#N`, `＃N`, `♯N` | `#26`, `＃２６` | title, then text |
//! | `第N回` | `第２６回` | title |
//! | `(N)`, `（N）`, 1-3 digits | `(26)` | title |
//!
//! A number followed by a list or range (`#1・2`, `第1話～第3話`, `(1)(2)`) is two episodes, not
//! one, and gives nothing; so do numbers above 9999 and `(N)` with four digits (a year).
//!
//! XMLTV forms: `xmltv_ns` is zero-based `season.episode/total.part` (`.25/52.` for episode 26
//! of 52; ARIB has no season); `onscreen` is the number as written (`26/52` from the
//! descriptor, else the normalised match: `#26`, `第26話`); `dd_progid` (Schedules Direct style,
//! which Plex and Jellyfin take as a programme id) is `EP<sid:5><series_id:5>.<episode:4>` for a
//! series descriptor with a known episode and `SH<sid:5><series_id:5>.0000` for a series
//! without one, so every airing of a series shares its first part.

use crate::epg::model::Series;
use crate::epg::Event;

/// An episode number found in a title or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The episode number (1 = first).
    pub number: u32,
    /// The number as written, normalised (`#26`, `第26話`, `第26回`, `(26)`).
    pub onscreen: String,
    /// Byte range of the match in the searched string.
    pub span: std::ops::Range<usize>,
}

/// The forms, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Wa,
    Hash,
    Kai,
    Paren,
}

/// An ASCII or full-width digit's value.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(u32::from(c) - u32::from('0')),
        '０'..='９' => Some(u32::from(c) - u32::from('０')),
        _ => None,
    }
}

/// A kanji numeral's value (一..九, 〇/零) or multiplier (十, 百, 千).
fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn kanji_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Reads a number at the start of `s` (digits, or kanji numerals when `kanji`), returning the
/// value and the bytes read. At most 4 digits / 9999.
fn number(s: &str, kanji: bool) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut len = 0usize;
    let mut digits = 0;
    for c in s.chars() {
        match digit(c) {
            Some(d) => {
                digits += 1;
                if digits > 4 {
                    return None;
                }
                value = value * 10 + d;
                len += c.len_utf8();
            }
            None => break,
        }
    }
    if digits > 0 {
        return Some((value, len));
    }
    if !kanji {
        return None;
    }
    // Kanji numerals: 二十六, 百二, 三千, 十 …; a bare digit run like 二六 reads positionally.
    // At most 8 characters, so a hostile run of numerals costs nothing and cannot overflow.
    let (mut total, mut current, mut any) = (0u32, 0u32, false);
    let mut positional = true;
    for c in s.chars().take(8) {
        if let Some(d) = kanji_digit(c) {
            current = if positional && any && current > 0 {
                current.saturating_mul(10).saturating_add(d)
            } else {
                d
            };
            any = true;
        } else if let Some(u) = kanji_unit(c) {
            positional = false;
            total = total.saturating_add(if current == 0 {
                u
            } else {
                current.saturating_mul(u)
            });
            current = 0;
            any = true;
        } else {
            break;
        }
        len += c.len_utf8();
    }
    let value = total.saturating_add(current);
    (any && value <= 9999).then_some((value, len))
}

/// Whether `s` starts with a number (digits or kanji numerals) followed by `unit` (`話`).
pub(super) fn number_then(s: &str, unit: char) -> bool {
    number(s, true).is_some_and(|(_, len)| s.get(len..).is_some_and(|t| t.starts_with(unit)))
}

/// Whether what follows a number makes it a list or range of episodes.
fn continues_as_list(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some(
            '・' | '･' | '~' | '～' | '〜' | '-' | '－' | '‐' | '、' | ',' | '，' | '&' | '＆'
            | '+',
        ) => {
            matches!(chars.next(), Some(c) if digit(c).is_some() || kanji_digit(c).is_some()
                || matches!(c, '#' | '＃' | '♯' | '第'))
        }
        Some('(' | '（') => chars.next().and_then(digit).is_some(),
        _ => false,
    }
}

/// The numbers of every `#N` in `s` (one pass, no recursion).
fn other_hash_numbers(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.char_indices()
        .filter(|&(_, c)| matches!(c, '#' | '＃' | '♯'))
        .filter_map(move |(i, c)| number(s.get(i + c.len_utf8()..).unwrap_or(""), false))
        .map(|(n, _)| n)
}

/// The first match of `form` in `s`.
fn find(s: &str, form: Form) -> Option<Found> {
    for (i, c) in s.char_indices() {
        let after = s.get(i + c.len_utf8()..).unwrap_or("");
        let hit = match (form, c) {
            (Form::Wa | Form::Kai, '第') => number(after, true).and_then(|(n, len)| {
                let tail = after.get(len..).unwrap_or("");
                let unit = if form == Form::Wa { '話' } else { '回' };
                tail.starts_with(unit).then(|| {
                    let end = i + c.len_utf8() + len + unit.len_utf8();
                    (n, format!("第{n}{unit}"), end)
                })
            }),
            (Form::Hash, '#' | '＃' | '♯') => number(after, false).map(|(n, len)| {
                let end = i + c.len_utf8() + len;
                (n, format!("#{n}"), end)
            }),
            (Form::Paren, '(' | '（') => number(after, false).and_then(|(n, len)| {
                let tail = after.get(len..).unwrap_or("");
                let close = tail.chars().next().filter(|&c| c == ')' || c == '）')?;
                let digits = after.get(..len).map_or(0, |d| d.chars().count());
                (digits <= 3).then(|| {
                    let end = i + c.len_utf8() + len + close.len_utf8();
                    (n, format!("({n})"), end)
                })
            }),
            _ => None,
        };
        if let Some((number, onscreen, end)) = hit {
            // A digit glued before `#` (`C#1`) is fine; a list after the number is not one
            // episode.
            if continues_as_list(s.get(end..).unwrap_or("")) {
                return None;
            }
            // `#1` that continues as `#1 #2` elsewhere is ambiguous too.
            if form == Form::Hash
                && other_hash_numbers(s.get(end..).unwrap_or("")).any(|n| n != number)
            {
                return None;
            }
            return Some(Found {
                number,
                onscreen,
                span: i..end,
            });
        }
    }
    None
}

/// The episode number written in a title (`in_title`) or a description, strongest form first
/// (see the module table); `None` when there is none or it is ambiguous.
pub fn episode_in(s: &str, in_title: bool) -> Option<Found> {
    let forms: &[Form] = if in_title {
        &[Form::Wa, Form::Hash, Form::Kai, Form::Paren]
    } else {
        &[Form::Wa, Form::Hash]
    };
    forms.iter().find_map(|&f| find(s, f))
}

/// Everything XMLTV gets about the episode of an event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct EpisodeNums {
    pub xmltv_ns: Option<String>,
    pub onscreen: Option<String>,
    pub dd_progid: Option<String>,
}

impl EpisodeNums {
    /// Whether an episode number is known.
    pub fn has_number(&self) -> bool {
        self.onscreen.is_some()
    }
}

/// The episode numbers of `event` (see the module docs).
pub(super) fn episode_nums(event: &Event, sid: u16) -> EpisodeNums {
    let series: Option<&Series> = event.series.as_ref();
    let total = series
        .map(|s| u32::from(s.last_episode_number))
        .filter(|&n| n > 0);
    let (number, onscreen) = match series.filter(|s| s.episode_number != 0) {
        Some(s) => {
            let n = u32::from(s.episode_number);
            let shown = match total {
                Some(t) => format!("{n}/{t}"),
                None => n.to_string(),
            };
            (Some(n), Some(shown))
        }
        None => match episode_in(&event.title, true).or_else(|| episode_in(&event.text, false)) {
            Some(f) => (Some(f.number), Some(f.onscreen)),
            None => (None, None),
        },
    };
    let xmltv_ns = number.filter(|&n| n > 0).map(|n| match total {
        Some(t) if t >= n => format!(".{}/{t}.", n - 1),
        _ => format!(".{}.", n - 1),
    });
    let dd_progid = series.map(|s| match number {
        Some(n) => format!("EP{sid:05}{:05}.{n:04}", s.series_id),
        None => format!("SH{sid:05}{:05}.0000", s.series_id),
    });
    EpisodeNums {
        xmltv_ns,
        onscreen,
        dd_progid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real-looking titles and what they give.
    #[test]
    fn titles_table() {
        let table: &[(&str, Option<(u32, &str)>)] = &[
            (
                "ブラマヨ弾話室～ニッポン、どうかしてるぜ！～ #157　日本の心配事を爆笑議論",
                Some((157, "#157")),
            ),
            ("東北魂ＴＶ #224　爆笑ユニットコント", Some((224, "#224"))),
            ("🈞ＶＡＮで勝ち馬さがしてみませんか #76", Some((76, "#76"))),
            ("ドラマ「相棒」＃２６「最終回」", Some((26, "#26"))),
            ("アニメ　進撃の巨人　第26話「決戦」", Some((26, "第26話"))),
            ("連続テレビ小説　虎に翼　第２６回", Some((26, "第26回"))),
            (
                "大河ドラマ　光る君へ　第二十六回「いけにえの姫」",
                Some((26, "第26回")),
            ),
            ("ちびまる子ちゃん 第一話", Some((1, "第1話"))),
            ("第百二話　再会", Some((102, "第102話"))),
            ("名探偵コナン(26)", Some((26, "(26)"))),
            ("きょうの料理（１２）", Some((12, "(12)"))),
            // 第N話 outranks #N in the same title.
            ("シリーズ #3 第5話", Some((5, "第5話"))),
            // Not one episode, or not an episode.
            ("ドラマ　#1・2　一挙放送", None),
            ("アニメ　第1話～第3話", None),
            ("ドラマ #1 #2 連続放送", None),
            ("紅白歌合戦(2024)", None),
            ("ニュース７", None),
            ("Ｃ＃入門", None),
            ("映画『ジュマンジ』", None),
            ("第100回全国高校野球選手権", Some((100, "第100回"))),
            ("#12345", None),
            ("", None),
        ];
        for (title, want) in table {
            let got = episode_in(title, true).map(|f| (f.number, f.onscreen));
            let want = want.map(|(n, s)| (n, s.to_owned()));
            assert_eq!(got, want, "{title}");
        }
        // The span points at the match.
        let t = "東北魂ＴＶ #224　爆笑";
        let f = episode_in(t, true).unwrap();
        assert_eq!(&t[f.span], "#224");
        // In a description only 第N話 and #N count.
        assert_eq!(episode_in("第5回定例会の模様を", false), None);
        assert_eq!(
            episode_in("第5話「嵐」。主人公は…", false).map(|f| f.number),
            Some(5)
        );
    }

    fn event(title: &str, series: Option<(u16, u16, u16)>) -> Event {
        Event {
            event_id: 1,
            start: None,
            duration: None,
            title: title.into(),
            text: String::new(),
            extended: Vec::new(),
            extended_text: String::new(),
            genres: Vec::new(),
            video: None,
            audio: Vec::new(),
            series: series.map(|(id, ep, last)| Series {
                series_id: id,
                repeat_label: 0,
                program_pattern: 0,
                expire_date: None,
                episode_number: ep,
                last_episode_number: last,
                series_name: String::new(),
            }),
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
    fn hostile_titles_stay_linear_and_bounded() {
        let many: String = "#1".repeat(100_000);
        assert_eq!(episode_in(&many, true).map(|f| f.number), Some(1));
        let mixed: String = "#1 #2 ".repeat(50_000);
        assert_eq!(episode_in(&mixed, true), None);
        let numerals = format!("第{}話", "一".repeat(100_000));
        assert_eq!(episode_in(&numerals, true), None);
        let nines = format!("第{}話", "九十九百".repeat(10));
        let _ = episode_in(&nines, true);
        assert_eq!(episode_in(&"第".repeat(100_000), true), None);
    }

    #[test]
    fn xmltv_forms() {
        let n = episode_nums(&event("ドラマ", Some((0x123, 12, 12))), 101);
        assert_eq!(n.xmltv_ns.as_deref(), Some(".11/12."));
        assert_eq!(n.onscreen.as_deref(), Some("12/12"));
        assert_eq!(n.dd_progid.as_deref(), Some("EP0010100291.0012"));
        // The descriptor without a number: the title's number, the series id as a show id.
        let n = episode_nums(&event("ドラマ #3", Some((7, 0, 10))), 1024);
        assert_eq!(n.xmltv_ns.as_deref(), Some(".2/10."));
        assert_eq!(n.onscreen.as_deref(), Some("#3"));
        assert_eq!(n.dd_progid.as_deref(), Some("EP0102400007.0003"));
        let n = episode_nums(&event("ニュース", Some((7, 0, 0))), 1024);
        assert_eq!(n.dd_progid.as_deref(), Some("SH0102400007.0000"));
        assert!(!n.has_number() && n.xmltv_ns.is_none());
        // No descriptor: only the title; episode 0 has no zero-based form.
        let n = episode_nums(&event("特番 #0", None), 1);
        assert_eq!(
            (n.xmltv_ns, n.onscreen.as_deref(), n.dd_progid),
            (None, Some("#0"), None)
        );
        assert_eq!(
            episode_nums(&event("ニュース", None), 1),
            EpisodeNums::default()
        );
    }
}
