//! Code tables: content genres (content_descriptor 0x54) and component types (0x50, 0xC4).
//!
//! Taken from the project spec `arib-text.md` §4 (ARIB STD-B10 Appendix H; ETSI EN 300 468
//! table 28) and §5 (ARIB STD-B10 tables 6-5, 6-43..6-45). The genre tables differ completely
//! between ISDB and DVB, so every lookup takes the network family explicitly; nothing guesses it.
//! Lookups return `None` for codes that have no name to show (reserved, user-defined, undefined).

/// A genre name: Japanese (ARIB only) and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GenreName {
    /// Japanese name (ARIB tables only).
    pub ja: Option<&'static str>,
    /// English name.
    pub en: &'static str,
}

/// ARIB level-1 genres (ARIB STD-B10 Appendix H), index = content_nibble_level_1.
const ARIB_L1: [(&str, &str); 16] = [
    ("ニュース／報道", "news"),
    ("スポーツ", "sports"),
    ("情報／ワイドショー", "information"),
    ("ドラマ", "drama"),
    ("音楽", "music"),
    ("バラエティ", "variety"),
    ("映画", "cinema"),
    ("アニメ／特撮", "anime"),
    ("ドキュメンタリー／教養", "documentary"),
    ("劇場／公演", "stage"),
    ("趣味／教育", "hobby"),
    ("福祉", "welfare"),
    ("予備", "etc"),
    ("予備", "etc"),
    ("拡張", "etc"),
    ("その他", "etc"),
];

type L2 = &'static [(u8, &'static str, &'static str)];

/// ARIB level-2 genres (ARIB STD-B10 Appendix H), per level 1; 0xF その他 is added by lookup.
const ARIB_L2: [L2; 16] = [
    &[
        (0x0, "定時・総合", "Regular/General"),
        (0x1, "天気", "Weather"),
        (0x2, "特集・ドキュメント", "Special topic/documentary"),
        (0x3, "政治・国会", "Politics/diet"),
        (0x4, "経済・市況", "Economy/market"),
        (0x5, "海外・国際", "Overseas"),
        (0x6, "解説", "Commentary"),
        (0x7, "討論・会談", "Discussion/meeting"),
        (0x8, "報道特番", "Special news report"),
        (0x9, "ローカル・地域", "Local"),
        (0xA, "交通", "Traffic"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "スポーツニュース", "Sports news"),
        (0x1, "野球", "Baseball"),
        (0x2, "サッカー", "Soccer"),
        (0x3, "ゴルフ", "Golf"),
        (0x4, "その他の球技", "Other ball games"),
        (0x5, "相撲・格闘技", "Sumo/fighting sports"),
        (0x6, "オリンピック・国際大会", "Olympic/international games"),
        (
            0x7,
            "マラソン・陸上・水泳",
            "Marathon/field and track/swimming",
        ),
        (0x8, "モータースポーツ", "Motor sports"),
        (0x9, "マリン・ウィンタースポーツ", "Marine/winter sports"),
        (0xA, "競馬・公営競技", "Horse race/public sports"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "芸能・ワイドショー", "Show business/tabloid show"),
        (0x1, "ファッション", "Fashion"),
        (0x2, "暮らし・住まい", "Life/residence"),
        (0x3, "健康・医療", "Health/medical care"),
        (0x4, "ショッピング・通販", "Shopping/catalog shopping"),
        (0x5, "グルメ・料理", "Gourmet/cooking show"),
        (0x6, "イベント", "Events"),
        (0x7, "番組紹介・お知らせ", "Promotion/information"),
        (0xF, "その他", "Others"),
    ],
    &[
        (0x0, "国内ドラマ", "Japanese drama"),
        (0x1, "海外ドラマ", "Overseas drama"),
        (0x2, "時代劇", "Historical drama"),
        (0xF, "その他", "Others"),
    ],
    &[
        (0x0, "国内ロック・ポップス", "Japanese rock/pops"),
        (0x1, "海外ロック・ポップス", "Overseas rock/pops"),
        (0x2, "クラシック・オペラ", "Classical/opera"),
        (0x3, "ジャズ・フュージョン", "Jazz/fusion"),
        (0x4, "歌謡曲・演歌", "Japanese popular song/ballad (Enka)"),
        (0x5, "ライブ・コンサート", "Live show/concert"),
        (0x6, "ランキング・リクエスト", "Ranking/Request show"),
        (0x7, "カラオケ・のど自慢", "Karaoke/singing contest"),
        (0x8, "民謡・邦楽", "Folk/Japanese music"),
        (0x9, "童謡・キッズ", "Children's song"),
        (0xA, "民族音楽・ワールドミュージック", "Ethnic/world music"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "クイズ", "Quiz"),
        (0x1, "ゲーム", "Game"),
        (0x2, "トークバラエティ", "Talk show"),
        (0x3, "お笑い・コメディ", "Comedy"),
        (0x4, "音楽バラエティ", "Musical variety show"),
        (0x5, "旅バラエティ", "Travel variety show"),
        (0x6, "料理バラエティ", "Cooking variety show"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "洋画", "Overseas movie"),
        (0x1, "邦画", "Japanese movie"),
        (0x2, "アニメ", "Animation movie"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "国内アニメ", "Japanese animation"),
        (0x1, "海外アニメ", "Overseas animation"),
        (0x2, "特撮", "Special effects program"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "社会・時事", "Social/topical news"),
        (0x1, "歴史・紀行", "History/travel"),
        (0x2, "自然・動物・環境", "Nature/animal/environment"),
        (
            0x3,
            "宇宙・科学・医学",
            "Universe/science/science of medicine",
        ),
        (0x4, "カルチャー・伝統文化", "Culture/traditional culture"),
        (0x5, "文学・文芸", "Literature/liberal arts"),
        (0x6, "スポーツ", "Sports"),
        (0x7, "ドキュメンタリー全般", "General documentary"),
        (0x8, "インタビュー・討論", "Interview/discussion"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "現代劇・新劇", "Modern play"),
        (0x1, "ミュージカル", "Musical"),
        (0x2, "ダンス・バレエ", "Dance/ballet"),
        (0x3, "落語・演芸", "Comic monologue (Rakugo)/entertainment"),
        (0x4, "歌舞伎・古典", "Kabuki/classical play"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "旅・釣り・アウトドア", "Travel/fishing/outdoors"),
        (0x1, "園芸・ペット・手芸", "Gardening/pet/handicraft"),
        (0x2, "音楽・美術・工芸", "Music/art/artifice"),
        (0x3, "囲碁・将棋", "Japanese go/chess (Shogi)"),
        (0x4, "麻雀・パチンコ", "Mah-jong/Pachinko"),
        (0x5, "車・オートバイ", "Automobile/motorcycle"),
        (0x6, "コンピュータ・ＴＶゲーム", "Computer/TV game"),
        (0x7, "会話・語学", "Conversation/language"),
        (0x8, "幼児・小学生", "Infants/primary school students"),
        (0x9, "中学生・高校生", "Junior/senior high school students"),
        (0xA, "大学生・受験", "College/preparatory students"),
        (0xB, "生涯教育・資格", "Lifelong education/qualification"),
        (0xC, "教育問題", "Educational problem"),
        (0xF, "その他", "Other"),
    ],
    &[
        (0x0, "高齢者", "Aged persons"),
        (0x1, "障害者", "Handicapped person"),
        (0x2, "社会福祉", "Social welfare"),
        (0x3, "ボランティア", "Volunteers"),
        (0x4, "手話", "Sign language"),
        (0x5, "文字（字幕）", "Texts (caption)"),
        (0x6, "音声解説", "Audio commentary"),
        (0xF, "その他", "Other"),
    ],
    &[],
    &[],
    // 0xE: extension; English wording is ours (the spec gives Japanese only).
    &[
        (
            0x0,
            "BS/地上デジタル放送用番組付属情報",
            "Programme attachment information for BS/terrestrial digital broadcasting",
        ),
        (
            0x1,
            "広帯域CS デジタル放送用拡張",
            "Extension for broadband CS digital broadcasting",
        ),
        (
            0x2,
            "衛星デジタル音声放送用拡張",
            "Extension for satellite digital audio broadcasting",
        ),
        (
            0x3,
            "サーバー型番組付属情報",
            "Server-type programme attachment information",
        ),
        (
            0x4,
            "IP 放送用番組付属情報",
            "Programme attachment information for IP broadcasting",
        ),
    ],
    &[(0xF, "その他", "Other")],
];

/// DVB level-1 genres (ETSI EN 300 468 table 28); `None` = reserved or user defined.
const DVB_L1: [Option<&str>; 16] = [
    Some("Undefined content"),
    Some("Movie/Drama"),
    Some("News/Current affairs"),
    Some("Show/Game show"),
    Some("Sports"),
    Some("Children's/Youth programmes"),
    Some("Music/Ballet/Dance"),
    Some("Arts/Culture (without music)"),
    Some("Social/Political issues/Economics"),
    Some("Education/Science/Factual topics"),
    Some("Leisure hobbies"),
    Some("Special characteristics"),
    None,
    None,
    None,
    None,
];

/// DVB level-2 genres (ETSI EN 300 468 table 28), index = level 1, then level 2 from 0.
const DVB_L2: [&[&str]; 16] = [
    &[],
    &[
        "movie/drama (general)",
        "detective/thriller",
        "adventure/western/war",
        "science fiction/fantasy/horror",
        "comedy",
        "soap/melodrama/folkloric",
        "romance",
        "serious/classical/religious/historical movie/drama",
        "adult movie/drama",
    ],
    &[
        "news/current affairs (general)",
        "news/weather report",
        "news magazine",
        "documentary",
        "discussion/interview/debate",
    ],
    &[
        "show/game show (general)",
        "game show/quiz/contest",
        "variety show",
        "talk show",
    ],
    &[
        "sports (general)",
        "special events (Olympic Games, World Cup, etc.)",
        "sports magazines",
        "football/soccer",
        "tennis/squash",
        "team sports (excluding football)",
        "athletics",
        "motor sport",
        "water sport",
        "winter sports",
        "equestrian",
        "martial sports",
    ],
    &[
        "children's/youth programmes (general)",
        "pre-school children's programmes",
        "entertainment programmes for 6 to 14",
        "entertainment programmes for 10 to 16",
        "informational/educational/school programmes",
        "cartoons/puppets",
    ],
    &[
        "music/ballet/dance (general)",
        "rock/pop",
        "serious music/classical music",
        "folk/traditional music",
        "jazz",
        "musical/opera",
        "ballet",
    ],
    &[
        "arts/culture (without music, general)",
        "performing arts",
        "fine arts",
        "religion",
        "popular culture/traditional arts",
        "literature",
        "film/cinema",
        "experimental film/video",
        "broadcasting/press",
        "new media",
        "arts/culture magazines",
        "fashion",
    ],
    &[
        "social/political issues/economics (general)",
        "magazines/reports/documentary",
        "economics/social advisory",
        "remarkable people",
    ],
    &[
        "education/science/factual topics (general)",
        "nature/animals/environment",
        "technology/natural sciences",
        "medicine/physiology/psychology",
        "foreign countries/expeditions",
        "social/spiritual sciences",
        "further education",
        "languages",
    ],
    &[
        "leisure hobbies (general)",
        "tourism/travel",
        "handicraft",
        "motoring",
        "fitness and health",
        "cooking",
        "advertisement/shopping",
        "gardening",
    ],
    &[
        "original language",
        "black and white",
        "unpublished",
        "live broadcast",
        "plano-stereoscopic",
        "local or regional",
    ],
    &[],
    &[],
    &[],
    &[],
];

/// Level-1 genre name (ARIB STD-B10 Appendix H when `isdb`, else ETSI EN 300 468 table 28).
/// ARIB names every level 1 (0xC/0xD 予備, 0xE 拡張); DVB gives `None` for 0xC..=0xF.
pub fn genre_level1(level1: u8, isdb: bool) -> Option<GenreName> {
    let i = usize::from(level1);
    if isdb {
        ARIB_L1
            .get(i)
            .map(|&(ja, en)| GenreName { ja: Some(ja), en })
    } else {
        DVB_L1
            .get(i)
            .copied()
            .flatten()
            .map(|en| GenreName { ja: None, en })
    }
}

/// Level-2 genre name (ARIB STD-B10 Appendix H when `isdb`, else ETSI EN 300 468 table 28).
/// `None` for undefined, reserved and user-defined codes (DVB x/0xF, DVB 0x0/*).
pub fn genre_level2(level1: u8, level2: u8, isdb: bool) -> Option<GenreName> {
    let i = usize::from(level1);
    if isdb {
        ARIB_L2.get(i).and_then(|t| {
            t.iter()
                .find(|e| e.0 == level2)
                .map(|&(_, ja, en)| GenreName { ja: Some(ja), en })
        })
    } else {
        DVB_L2
            .get(i)
            .and_then(|t| t.get(usize::from(level2)))
            .map(|&en| GenreName { ja: None, en })
    }
}

/// Both levels at once: `(level-1 name, level-2 name)`; `None` if level 1 has no name.
pub fn genre_names(level1: u8, level2: u8, isdb: bool) -> Option<(GenreName, Option<GenreName>)> {
    Some((
        genre_level1(level1, isdb)?,
        genre_level2(level1, level2, isdb),
    ))
}

/// ARIB 0xE0 programme attribute for the user byte (ARIB TR-B14/B15; spec §4.1). Not a genre.
pub fn arib_attribute(user_byte: u8) -> Option<&'static str> {
    Some(match user_byte {
        0x00 => "中止の可能性あり",
        0x01 => "延長の可能性あり",
        0x02 => "中断の可能性あり",
        0x03 => "同一シリーズの別話数放送の可能性あり",
        0x04 => "編成未定枠",
        0x05 => "繰り上げの可能性あり",
        0x10 => "中断ニュースあり",
        0x11 => "当該イベントに関連する臨時サービスあり",
        0x20 => "当該イベント中に3D映像あり",
        _ => return None,
    })
}

/// A (Japanese, English) name pair.
pub type JaEn = (&'static str, &'static str);

/// ARIB 0xE1 broadband-CS genre for the user byte: (large category, middle category)
/// (spec §4.1, epgdump `ContentCSCatList`).
pub fn arib_cs_genre(user_byte: u8) -> Option<(JaEn, JaEn)> {
    let large = match user_byte >> 4 {
        0 => ("スポーツ", "Sports"),
        1 => ("洋画", "Overseas movie"),
        2 => ("邦画", "Japanese movie"),
        _ => return None,
    };
    let middle = match user_byte {
        0x00 => ("テニス", "Tennis"),
        0x01 => ("バスケットボール", "Basketball"),
        0x02 => ("ラグビー", "Rugby"),
        0x03 => ("アメリカンフットボール", "Football"),
        0x04 => ("ボクシング", "Boxing"),
        0x05 => ("プロレス", "Professional wrestling"),
        0x0F | 0x1F | 0x2F => ("その他", "Others"),
        0x10 | 0x20 => ("アクション", "Action"),
        0x11 | 0x21 => ("SF／ファンタジー", "SF/fantasy"),
        0x12 => ("コメディー", "Comedy"),
        0x22 => ("お笑い／コメディー", "Comedy"),
        0x13 | 0x23 => ("サスペンス／ミステリー", "Suspense/mystery"),
        0x14 | 0x24 => ("恋愛／ロマンス", "Love/romance"),
        0x15 | 0x25 => ("ホラー／スリラー", "Horror/thriller"),
        0x16 => ("ウエスタン", "Western"),
        0x17 => ("ドラマ／社会派ドラマ", "Drama/social drama"),
        0x18 | 0x28 => ("アニメーション", "Animation"),
        0x19 | 0x29 => ("ドキュメンタリー", "Documentary"),
        0x1A | 0x2A => ("アドベンチャー／冒険", "Adventure"),
        0x1B | 0x2B => ("ミュージカル／音楽映画", "Musical"),
        0x1C | 0x2C => ("ホームドラマ", "Domestic drama"),
        0x26 => ("青春／学園／アイドル", "Young/campus/idol dramas"),
        0x27 => ("任侠／時代劇", "Japanese gangster/costume drama"),
        _ => return None,
    };
    Some((large, middle))
}

/// ARIB video component_type (component_descriptor with stream_content 0x01 MPEG-2 or 0x05
/// H.264; ARIB STD-B10 table 6-5, spec §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VideoComponentInfo {
    /// Video format, e.g. `1080i(1125i)` (the Japanese-label spelling).
    pub format: &'static str,
    /// XMLTV `<quality>`: SDTV / HDTV / UHDTV; `None` for mobile (240p, 180p).
    pub quality: Option<&'static str>,
    /// XMLTV `<aspect>`: `4:3` or `16:9`; `None` for an unknown aspect nibble.
    pub aspect: Option<&'static str>,
    /// Japanese aspect label, e.g. `16:9 パンベクトルなし`; `None` for an unknown aspect nibble.
    pub aspect_ja: Option<&'static str>,
}

impl VideoComponentInfo {
    /// The epgdump/ariblib Japanese label, e.g. `映像1080i(1125i)、アスペクト比16:9 パンベクトルなし`.
    pub fn label_ja(&self) -> String {
        match self.aspect_ja {
            Some(a) => format!("映像{}、アスペクト比{}", self.format, a),
            None => format!("映像{}", self.format),
        }
    }
}

/// Looks up an ARIB video component_type; `None` (映像不明) for an unknown resolution nibble.
pub fn video_component(component_type: u8) -> Option<VideoComponentInfo> {
    let (format, quality) = match component_type >> 4 {
        0x0 => ("480i(525i)", Some("SDTV")),
        0x9 => ("2160p", Some("UHDTV")),
        0xA => ("480p(525p)", Some("SDTV")),
        0xB => ("1080i(1125i)", Some("HDTV")),
        0xC => ("720p(750p)", Some("HDTV")),
        0xD => ("240p", None),
        0xE => ("1080p(1125p)", Some("HDTV")),
        0xF => ("180p", None),
        _ => return None,
    };
    let (aspect, aspect_ja) = match component_type & 0x0F {
        0x1 => (Some("4:3"), Some("4:3")),
        0x2 => (Some("16:9"), Some("16:9 パンベクトルあり")),
        0x3 => (Some("16:9"), Some("16:9 パンベクトルなし")),
        0x4 => (Some("16:9"), Some("> 16:9")),
        _ => (None, None),
    };
    Some(VideoComponentInfo {
        format,
        quality,
        aspect,
        aspect_ja,
    })
}

/// ARIB audio component_type (audio_component_descriptor 0xC4; ARIB STD-B10 table 6-43, spec §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AudioComponentInfo {
    /// Channel mode as in the standard, e.g. `2/0` or `3/2+LFE`.
    pub mode: &'static str,
    /// Japanese label (epgdump/ariblib), where one exists.
    pub ja: Option<&'static str>,
    /// XMLTV `<stereo>` value (mono / bilingual / stereo / surround), where one applies.
    pub stereo: Option<&'static str>,
}

/// Looks up an ARIB audio component_type; `None` for reserved/user-defined values.
pub fn audio_component(component_type: u8) -> Option<AudioComponentInfo> {
    let (mode, ja, stereo) = match component_type {
        0x01 => ("1/0", Some("シングルモノ"), Some("mono")),
        0x02 => ("1/0+1/0", Some("デュアルモノ"), Some("bilingual")),
        0x03 => ("2/0", Some("ステレオ"), Some("stereo")),
        0x04 => ("2/1", Some("2/1モード"), Some("surround")),
        0x05 => ("3/0", Some("3/0モード"), Some("surround")),
        0x06 => ("2/2", Some("2/2モード"), Some("surround")),
        0x07 => ("3/1", Some("3/1モード"), Some("surround")),
        0x08 => ("3/2", Some("3/2モード"), Some("surround")),
        0x09 => ("3/2+LFE", Some("3/2+LFEモード"), Some("surround")),
        0x0A => ("3/3.1", Some("3/3.1モード"), Some("surround")),
        0x0B => ("2/0/0-2/0/2-0.1", None, Some("surround")),
        0x0C => ("5/2.1", None, Some("surround")),
        0x0D => ("3/2/2.1", None, Some("surround")),
        0x0E => ("2/0/0-3/0/2-0.1", None, Some("surround")),
        0x0F => ("0/2/0-3/0/2-0.2", None, Some("surround")),
        0x10 => ("2/0/0-3/2/3-0.2", None, Some("surround")),
        0x11 => ("3/3/3-5/2/3-3/0/0.2", None, Some("surround")),
        0x40 => (
            "audio description for the visually impaired",
            Some("視覚障害者用音声解説"),
            None,
        ),
        0x41 => (
            "audio for the hearing impaired",
            Some("聴覚障害者用音声"),
            None,
        ),
        _ => return None,
    };
    Some(AudioComponentInfo { mode, ja, stereo })
}

/// Sampling rate in Hz for the 3-bit sampling_rate code (ARIB STD-B10 table 6-45); `None` for
/// the reserved codes 0b000 and 0b100.
pub fn sampling_rate_hz(code: u8) -> Option<u32> {
    Some(match code {
        0b001 => 16_000,
        0b010 => 22_050,
        0b011 => 24_000,
        0b101 => 32_000,
        0b110 => 44_100,
        0b111 => 48_000,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arib_genres() {
        let n = genre_level1(0x0, true).unwrap();
        assert_eq!((n.ja, n.en), (Some("ニュース／報道"), "news"));
        assert_eq!(genre_level1(0x7, true).unwrap().ja, Some("アニメ／特撮"));
        assert_eq!(genre_level1(0xB, true).unwrap().en, "welfare");
        assert_eq!(genre_level1(0xC, true).unwrap().ja, Some("予備"));
        assert_eq!(genre_level1(0xF, true).unwrap().ja, Some("その他"));
        assert_eq!(genre_level1(0x10, true), None);
        let n = genre_level2(0x1, 0x9, true).unwrap();
        assert_eq!(n.ja, Some("マリン・ウィンタースポーツ"));
        assert_eq!(n.en, "Marine/winter sports");
        assert_eq!(
            genre_level2(0xA, 0xB, true).unwrap().en,
            "Lifelong education/qualification"
        );
        assert_eq!(genre_level2(0x7, 0x0, true).unwrap().ja, Some("国内アニメ"));
        assert_eq!(genre_level2(0x6, 0xF, true).unwrap().ja, Some("その他"));
        assert_eq!(genre_level2(0x0, 0xA, true).unwrap().en, "Traffic");
        assert_eq!(genre_level2(0x0, 0xB, true), None);
        assert_eq!(genre_level2(0x3, 0x3, true), None);
        assert_eq!(genre_level2(0xC, 0x0, true), None);
        assert_eq!(genre_level2(0xF, 0x0, true), None);
        assert_eq!(genre_level2(0xF, 0xF, true).unwrap().en, "Other");
        assert!(genre_level2(0xE, 0x1, true)
            .unwrap()
            .ja
            .unwrap()
            .contains("CS"));
        // every ARIB L1 0x0..=0xB has a 0xF "その他"
        for l1 in 0..=0xB {
            assert_eq!(
                genre_level2(l1, 0xF, true).unwrap().ja,
                Some("その他"),
                "{l1}"
            );
        }
        let (a, b) = genre_names(0x4, 0x5, true).unwrap();
        assert_eq!(a.ja, Some("音楽"));
        assert_eq!(b.unwrap().ja, Some("ライブ・コンサート"));
    }

    #[test]
    fn dvb_genres() {
        let n = genre_level1(0x1, false).unwrap();
        assert_eq!((n.ja, n.en), (None, "Movie/Drama"));
        assert_eq!(genre_level1(0x0, false).unwrap().en, "Undefined content");
        assert_eq!(genre_level1(0xC, false), None);
        assert_eq!(genre_level1(0xF, false), None);
        assert_eq!(
            genre_level2(0x1, 0x8, false).unwrap().en,
            "adult movie/drama"
        );
        assert_eq!(genre_level2(0x1, 0x9, false), None);
        assert_eq!(genre_level2(0x1, 0xF, false), None);
        assert_eq!(genre_level2(0x4, 0xB, false).unwrap().en, "martial sports");
        assert_eq!(genre_level2(0x4, 0xC, false), None);
        assert_eq!(
            genre_level2(0xB, 0x4, false).unwrap().en,
            "plano-stereoscopic"
        );
        assert_eq!(genre_level2(0x0, 0x0, false), None);
        let (a, b) = genre_names(0x2, 0x1, false).unwrap();
        assert_eq!(a.en, "News/Current affairs");
        assert_eq!(b.unwrap().en, "news/weather report");
        assert_eq!(genre_names(0xD, 0x0, false), None);
        // the same nibbles mean different things on the two networks
        assert_ne!(
            genre_level1(0x1, true).unwrap().en,
            genre_level1(0x1, false).unwrap().en
        );
    }

    #[test]
    fn arib_extensions() {
        assert_eq!(arib_attribute(0x04), Some("編成未定枠"));
        assert_eq!(arib_attribute(0x20), Some("当該イベント中に3D映像あり"));
        assert_eq!(arib_attribute(0x06), None);
        assert_eq!(
            arib_cs_genre(0x02),
            Some((("スポーツ", "Sports"), ("ラグビー", "Rugby")))
        );
        assert_eq!(arib_cs_genre(0x26).unwrap().1 .0, "青春／学園／アイドル");
        assert_eq!(arib_cs_genre(0x12).unwrap().1 .0, "コメディー");
        assert_eq!(arib_cs_genre(0x22).unwrap().1 .0, "お笑い／コメディー");
        assert_eq!(arib_cs_genre(0x06), None);
        assert_eq!(arib_cs_genre(0x30), None);
    }

    #[test]
    fn video_components() {
        let v = video_component(0xB3).unwrap();
        assert_eq!(
            v.label_ja(),
            "映像1080i(1125i)、アスペクト比16:9 パンベクトルなし"
        );
        assert_eq!((v.quality, v.aspect), (Some("HDTV"), Some("16:9")));
        let v = video_component(0x01).unwrap();
        assert_eq!(
            (v.format, v.quality, v.aspect),
            ("480i(525i)", Some("SDTV"), Some("4:3"))
        );
        assert_eq!(video_component(0x91).unwrap().quality, Some("UHDTV"));
        assert_eq!(video_component(0xD1).unwrap().quality, None);
        assert_eq!(video_component(0xE4).unwrap().aspect_ja, Some("> 16:9"));
        let v = video_component(0xC0).unwrap();
        assert_eq!(
            (v.aspect, v.label_ja()),
            (None, "映像720p(750p)".to_string())
        );
        assert_eq!(video_component(0x51), None);
        assert_eq!(video_component(0x81), None);
    }

    #[test]
    fn audio_components_and_rates() {
        let a = audio_component(0x03).unwrap();
        assert_eq!(
            (a.mode, a.ja, a.stereo),
            ("2/0", Some("ステレオ"), Some("stereo"))
        );
        assert_eq!(audio_component(0x02).unwrap().stereo, Some("bilingual"));
        assert_eq!(audio_component(0x01).unwrap().stereo, Some("mono"));
        assert_eq!(audio_component(0x09).unwrap().stereo, Some("surround"));
        assert_eq!(audio_component(0x11).unwrap().mode, "3/3/3-5/2/3-3/0/0.2");
        assert_eq!(
            audio_component(0x40).unwrap().ja,
            Some("視覚障害者用音声解説")
        );
        assert_eq!(audio_component(0x41).unwrap().stereo, None);
        assert_eq!(audio_component(0x00), None);
        assert_eq!(audio_component(0x12), None);
        let rates: Vec<_> = (0..8).map(sampling_rate_hz).collect();
        assert_eq!(
            rates,
            vec![
                None,
                Some(16_000),
                Some(22_050),
                Some(24_000),
                None,
                Some(32_000),
                Some(44_100),
                Some(48_000)
            ]
        );
    }
}
