//! The look of the guide: the genre palette, the inline style sheet and script, and the
//! interface words in Japanese (ISDB) or English (DVB).
//!
//! ## Palette
//! Boxes are coloured by content_nibble_level_1 of the first genre entry that has one (ARIB
//! STD-B10 Appendix H; DVB: EN 300 468 table 28, same slots). Every colour is a light tint under
//! dark text (`#1a1a1a`), so every box keeps a WCAG contrast ratio of at least 7:1 (tested).
//!
//! | class | ARIB level 1 | colour |
//! |---|---|---|
//! | `g0` | ニュース／報道 | `#fff1a8` yellow |
//! | `g1` | スポーツ | `#c6efc1` green |
//! | `g2` | 情報／ワイドショー | `#ffd3e2` pink |
//! | `g3` | ドラマ | `#ffc9b8` salmon |
//! | `g4` | 音楽 | `#e0d2ff` lavender |
//! | `g5` | バラエティ | `#ffdcae` orange |
//! | `g6` | 映画 | `#bfe3ff` blue |
//! | `g7` | アニメ／特撮 | `#f7c6f0` magenta |
//! | `g8` | ドキュメンタリー／教養 | `#c7ede6` teal |
//! | `g9` | 劇場／公演 | `#eadbc8` tan |
//! | `ga` | 趣味／教育 | `#dcefa9` lime |
//! | `gb` | 福祉 | `#d3dcf0` slate |
//! | `gf` | その他 (and the reserved 0xC/0xD) | `#e4e4e4` grey |
//! | `gn` | no genre | `#ffffff` white |
//!
//! ISDB 0xE1 (broadband CS) entries take the slot of their large category (スポーツ → `g1`,
//! 洋画/邦画 → `g6`); 0xE0 programme attributes are not genres and are passed over.

use crate::si::genre;

/// The text colour of every box.
pub(super) const TEXT_COLOUR: u32 = 0x1a1a1a;

/// (class, level-1 nibble for the legend name, background colour). The order is the legend's.
pub(super) const PALETTE: [(&str, Option<u8>, u32); 14] = [
    ("g0", Some(0x0), 0xfff1a8),
    ("g1", Some(0x1), 0xc6efc1),
    ("g2", Some(0x2), 0xffd3e2),
    ("g3", Some(0x3), 0xffc9b8),
    ("g4", Some(0x4), 0xe0d2ff),
    ("g5", Some(0x5), 0xffdcae),
    ("g6", Some(0x6), 0xbfe3ff),
    ("g7", Some(0x7), 0xf7c6f0),
    ("g8", Some(0x8), 0xc7ede6),
    ("g9", Some(0x9), 0xeadbc8),
    ("ga", Some(0xA), 0xdcefa9),
    ("gb", Some(0xB), 0xd3dcf0),
    ("gf", Some(0xF), 0xe4e4e4),
    ("gn", None, 0xffffff),
];

/// The palette class of an event's genres (see the module docs).
pub(super) fn genre_class(isdb: bool, genres: &[[u8; 4]]) -> &'static str {
    for g in genres {
        let (l1, l2) = (g[0] & 0x0F, g[1] & 0x0F);
        let slot = match l1 {
            0xE if isdb => match (l2, g[2] & 0x0F) {
                (0x1, 0) => 0x1,
                (0x1, 1 | 2) => 0x6,
                _ => continue,
            },
            0x0..=0xB => l1,
            _ => 0xF,
        };
        if let Some(&(class, _, _)) = PALETTE.iter().find(|p| p.1 == Some(slot)) {
            return class;
        }
    }
    "gn"
}

/// The legend name of a palette slot.
pub(super) fn legend_name(isdb: bool, slot: Option<u8>, labels: &Labels) -> &'static str {
    match slot {
        None => labels.no_genre,
        Some(0xF) if !isdb => labels.other_genre,
        Some(l1) => genre::genre_level1(l1, isdb)
            .map(|n| n.ja.unwrap_or(n.en))
            .unwrap_or(labels.other_genre),
    }
}

/// The style sheet (inlined into every document), after the palette rules.
pub(super) const CSS: &str = include_str!("guide.css");

/// The optional script: a search filter, "jump to now" and a line at the current time. The grid
/// needs none of it.
pub(super) const SCRIPT: &str = include_str!("guide.js");

/// The words of the interface.
#[derive(Debug)]
pub(super) struct Labels {
    pub lang: Option<&'static str>,
    pub title: &'static str,
    pub inputs: &'static str,
    pub channels: &'static str,
    pub programmes: &'static str,
    pub programmes_unit: &'static str,
    pub times: &'static str,
    pub stream_clock: &'static str,
    pub no_clock: &'static str,
    pub schedule: &'static str,
    pub complete: &'static str,
    pub incomplete: &'static str,
    pub sections: &'static str,
    pub no_programmes: &'static str,
    pub open_note: &'static str,
    pub shortened_note: &'static str,
    pub undated_note: &'static str,
    pub undated_heading: &'static str,
    pub open_mark: &'static str,
    pub shortened_mark: &'static str,
    pub continued: &'static str,
    pub captions: &'static str,
    pub scrambled: &'static str,
    pub updated: &'static str,
    pub shared: &'static str,
    pub relay: &'static str,
    pub moved: &'static str,
    pub rating: &'static str,
    pub no_name: &'static str,
    pub no_genre: &'static str,
    pub other_genre: &'static str,
    pub legend: &'static str,
    pub days: &'static str,
    pub search: &'static str,
    pub now: &'static str,
    pub not_now: &'static str,
    pub weekdays: [&'static str; 7],
    pub minutes: &'static str,
}

/// Japanese words, for ISDB guides.
pub(super) const JA: Labels = Labels {
    lang: Some("ja"),
    title: "番組表",
    inputs: "入力",
    channels: "局",
    programmes: "番組",
    programmes_unit: "件",
    times: "番組の時間",
    stream_clock: "放送時計",
    no_clock: "放送時計なし",
    schedule: "EIT",
    complete: "受信完了",
    incomplete: "受信途中",
    sections: "セクション",
    no_programmes: "番組情報はありません。",
    open_note: "件は終了時刻未定: 次の番組まで点線で表示",
    shortened_note: "件は48時間を超えるため短縮表示",
    undated_note: "件は開始時刻未定: 表の下に一覧",
    undated_heading: "開始時刻未定の番組",
    open_mark: "終了未定",
    shortened_mark: "短縮表示",
    continued: "（続き）",
    captions: "字幕",
    scrambled: "有料",
    updated: "更新あり",
    shared: "イベント共有",
    relay: "イベントリレー",
    moved: "イベント移動",
    rating: "視聴年齢制限",
    no_name: "（名称なし）",
    no_genre: "ジャンルなし",
    other_genre: "その他",
    legend: "ジャンル",
    days: "日付",
    search: "番組を検索",
    now: "現在時刻へ",
    not_now: "現在の番組はありません",
    weekdays: ["日", "月", "火", "水", "木", "金", "土"],
    minutes: "分",
};

/// English words, for DVB guides.
pub(super) const EN: Labels = Labels {
    lang: None,
    title: "Programme guide",
    inputs: "input",
    channels: "channels",
    programmes: "programmes",
    programmes_unit: "",
    times: "programmes",
    stream_clock: "stream clock",
    no_clock: "no stream clock",
    schedule: "EIT",
    complete: "complete",
    incomplete: "incomplete",
    sections: "sections",
    no_programmes: "No programmes.",
    open_note: " with an undefined end: dashed, drawn to the next programme",
    shortened_note: " longer than 48 hours: drawn shortened",
    undated_note: " with an undefined start: listed below the grid",
    undated_heading: "Programmes with an undefined start",
    open_mark: "end undefined",
    shortened_mark: "shortened",
    continued: " (continued)",
    captions: "subtitles",
    scrambled: "scrambled",
    updated: "updated",
    shared: "shared event",
    relay: "relayed event",
    moved: "moved event",
    rating: "parental rating",
    no_name: "(no name)",
    no_genre: "no genre",
    other_genre: "other",
    legend: "genre",
    days: "days",
    search: "Search programmes",
    now: "Now",
    not_now: "Nothing on now",
    weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    minutes: " min",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance of an sRGB colour.
    fn luminance(rgb: u32) -> f64 {
        let channel = |v: u32| {
            let c = f64::from(v & 0xFF) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb)
    }

    #[test]
    fn every_box_colour_keeps_text_readable() {
        let text = luminance(TEXT_COLOUR);
        for (class, _, bg) in PALETTE {
            let ratio = (luminance(bg) + 0.05) / (text + 0.05);
            assert!(ratio >= 7.0, "{class} #{bg:06x}: contrast {ratio:.1}");
        }
    }

    #[test]
    fn palette_classes_are_distinct_and_in_the_css_docs() {
        let docs = include_str!("style.rs");
        for (i, (class, _, bg)) in PALETTE.iter().enumerate() {
            assert!(PALETTE
                .iter()
                .skip(i + 1)
                .all(|p| p.0 != *class && p.2 != *bg));
            assert!(
                docs.contains(&format!("| `{class}` |")),
                "{class} undocumented"
            );
            assert!(
                docs.contains(&format!("`#{bg:06x}`")),
                "{class} colour undocumented"
            );
        }
    }

    #[test]
    fn genre_slots() {
        assert_eq!(genre_class(true, &[]), "gn");
        assert_eq!(genre_class(true, &[[0x3, 0x0, 0xF, 0xF]]), "g3");
        // An attribute first is passed over.
        assert_eq!(
            genre_class(true, &[[0xE, 0x0, 0x0, 0x1], [0x7, 0, 0, 0]]),
            "g7"
        );
        assert_eq!(genre_class(true, &[[0xE, 0x1, 0x1, 0x0]]), "g6");
        assert_eq!(genre_class(true, &[[0xE, 0x1, 0x0, 0x3]]), "g1");
        assert_eq!(genre_class(true, &[[0xC, 0x0, 0, 0]]), "gf");
        assert_eq!(genre_class(false, &[[0xE, 0x0, 0, 0]]), "gf");
        assert_eq!(genre_class(false, &[[0x2, 0x0, 0, 0]]), "g2");
        assert_eq!(legend_name(true, Some(0x6), &JA), "映画");
        assert_eq!(legend_name(false, Some(0x2), &EN), "News/Current affairs");
        assert_eq!(legend_name(false, Some(0xF), &EN), "other");
    }
}
