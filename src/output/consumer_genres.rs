//! English category names that media centres recognise, for XMLTV `<category lang="en">`.
//!
//! Two kinds of names per content-descriptor entry (ARIB STD-B10 6.2.4 / EN 300 468 6.2.9):
//!
//! - **Consumer words**, matched as whole category names: `Movie`, `News`, `Sports`, `Kids`
//!   (Jellyfin's default movie/news/sports/kids lists, Plex's movie/sports/news/kids detection),
//!   plus `Series` (Plex files a programme without an episode number or a `Series` category as
//!   a movie) and `Documentary`/`Animation` where they apply.
//! - **EN 300 468 genre names as tvheadend writes them** (`Movie / Drama`, `News / Weather
//!   report`, `Football / Soccer` …): tvheadend's XMLTV grabber and Kodi's genre mapping turn
//!   these back into the DVB genre code (tvheadend matches them ignoring case and spaces).
//!
//! DVB entries map to their own code. ARIB genres map through this table (level 1, and level 2
//! where a closer DVB genre exists; `—` = no English name):
//!
//! | ARIB | consumer words | EN 300 468 (tvheadend) |
//! |---|---|---|
//! | 0 ニュース／報道 | News | News / Current affairs; 0-1 天気 News / Weather report, 0-2 Documentary, 0-3/0-4 Social / Political issues / Economics, 0-7 Discussion / Interview / Debate |
//! | 1 スポーツ | Sports | Sports; 1-0 Sports magazines, 1-2 Football / Soccer, 1-4 Team sports (excluding football), 1-5 Martial sports, 1-6 Special events (Olympic Games, World Cup, etc.), 1-7 Athletics, 1-8 Motor sport, 1-9 Water sport, 1-A Equestrian |
//! | 2 情報／ワイドショー | — | Talk show; 2-1 Fashion, 2-3 Fitness and health, 2-4 Advertisement / Shopping, 2-5 Cooking |
//! | 3 ドラマ | — | Movie / Drama |
//! | 4 音楽 | — (4-9 Kids) | Music / Ballet / Dance; 4-0/4-1 Rock / Pop, 4-2 Serious music / Classical music, 4-3 Jazz, 4-8 Folk / Traditional music, 4-9 Children's / Youth programs |
//! | 5 バラエティ | — | Variety show; 5-0/5-1 Game show / Quiz / Contest, 5-2 Talk show, 5-3 Comedy |
//! | 6 映画 | Movie (6-2 Animation) | Movie / Drama; 6-2 Cartoons / Puppets |
//! | 7 アニメ／特撮 | Animation | Cartoons / Puppets |
//! | 8 ドキュメンタリー／教養 | Documentary | Documentary; 8-2 Nature / Animals / Environment, 8-3 Technology / Natural sciences, 8-4 Popular culture / Traditional arts, 8-5 Literature, 8-8 Discussion / Interview / Debate |
//! | 9 劇場／公演 | — | Performing arts; 9-1 Musical / Opera, 9-2 Ballet |
//! | A 趣味／教育 | — (A-8 Kids) | Leisure hobbies; A-0 Tourism / Travel, A-1 Gardening, A-2 Fine arts, A-5 Motoring, A-7 Languages, A-8 Pre-school children's programs, A-9/A-A Education / Science / Factual topics, A-B Further education |
//! | B 福祉 | — | Social / Political issues / Economics |
//! | E1 CS: スポーツ / 洋画・邦画 | Sports / Movie | Sports / Movie / Drama, and the closest level 2 (0x10/0x20 Adventure / Western / War, 0x12/0x22 Comedy, 0x13/0x23 Detective / Thriller …) |
//!
//! DVB consumer words: level 1 0x2 News, 0x4 Sports, 0x5 Kids. Level 0xB (special
//! characteristics), 0xF (user defined) and reserved codes have no name.

/// tvheadend's names of the EN 300 468 table 28 genres it knows (level 1 0x1-0xA), by code
/// `level1 << 4 | level2`.
const DVB_NAMES: &[(u8, &str)] = &[
    (0x10, "Movie / Drama"),
    (0x11, "Detective / Thriller"),
    (0x12, "Adventure / Western / War"),
    (0x13, "Science fiction / Fantasy / Horror"),
    (0x14, "Comedy"),
    (0x15, "Soap / Melodrama / Folkloric"),
    (0x16, "Romance"),
    (
        0x17,
        "Serious / Classical / Religious / Historical movie / Drama",
    ),
    (0x18, "Adult movie / Drama"),
    (0x20, "News / Current affairs"),
    (0x21, "News / Weather report"),
    (0x22, "News magazine"),
    (0x23, "Documentary"),
    (0x24, "Discussion / Interview / Debate"),
    (0x30, "Show / Game show"),
    (0x31, "Game show / Quiz / Contest"),
    (0x32, "Variety show"),
    (0x33, "Talk show"),
    (0x40, "Sports"),
    (0x41, "Special events (Olympic Games, World Cup, etc.)"),
    (0x42, "Sports magazines"),
    (0x43, "Football / Soccer"),
    (0x44, "Tennis / Squash"),
    (0x45, "Team sports (excluding football)"),
    (0x46, "Athletics"),
    (0x47, "Motor sport"),
    (0x48, "Water sport"),
    (0x49, "Winter sports"),
    (0x4A, "Equestrian"),
    (0x4B, "Martial sports"),
    (0x50, "Children's / Youth programs"),
    (0x51, "Pre-school children's programs"),
    (0x52, "Entertainment programs for 6 to 14"),
    (0x53, "Entertainment programs for 10 to 16"),
    (0x54, "Informational / Educational / School programs"),
    (0x55, "Cartoons / Puppets"),
    (0x60, "Music / Ballet / Dance"),
    (0x61, "Rock / Pop"),
    (0x62, "Serious music / Classical music"),
    (0x63, "Folk / Traditional music"),
    (0x64, "Jazz"),
    (0x65, "Musical / Opera"),
    (0x66, "Ballet"),
    (0x70, "Arts / Culture (without music)"),
    (0x71, "Performing arts"),
    (0x72, "Fine arts"),
    (0x73, "Religion"),
    (0x74, "Popular culture / Traditional arts"),
    (0x75, "Literature"),
    (0x76, "Film / Cinema"),
    (0x77, "Experimental film / Video"),
    (0x78, "Broadcasting / Press"),
    (0x79, "New media"),
    (0x7A, "Arts magazines / Culture magazines"),
    (0x7B, "Fashion"),
    (0x80, "Social / Political issues / Economics"),
    (0x81, "Magazines / Reports / Documentary"),
    (0x82, "Economics / Social advisory"),
    (0x83, "Remarkable people"),
    (0x90, "Education / Science / Factual topics"),
    (0x91, "Nature / Animals / Environment"),
    (0x92, "Technology / Natural sciences"),
    (0x93, "Medicine / Physiology / Psychology"),
    (0x94, "Foreign countries / Expeditions"),
    (0x95, "Social / Spiritual sciences"),
    (0x96, "Further education"),
    (0x97, "Languages"),
    (0xA0, "Leisure hobbies"),
    (0xA1, "Tourism / Travel"),
    (0xA2, "Handicraft"),
    (0xA3, "Motoring"),
    (0xA4, "Fitness and health"),
    (0xA5, "Cooking"),
    (0xA6, "Advertisement / Shopping"),
    (0xA7, "Gardening"),
];

/// tvheadend's name of an EN 300 468 genre code.
fn dvb_name(code: u8) -> Option<&'static str> {
    DVB_NAMES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Consumer words and DVB codes of an ARIB level-1/level-2 genre (see the module table).
fn arib(l1: u8, l2: u8) -> (&'static [&'static str], &'static [u8]) {
    match (l1, l2) {
        (0x0, 0x1) => (&["News"], &[0x20, 0x21]),
        (0x0, 0x2) => (&["News"], &[0x20, 0x23]),
        (0x0, 0x3 | 0x4) => (&["News"], &[0x20, 0x80]),
        (0x0, 0x7) => (&["News"], &[0x20, 0x24]),
        (0x0, _) => (&["News"], &[0x20]),
        (0x1, 0x0) => (&["Sports"], &[0x40, 0x42]),
        (0x1, 0x2) => (&["Sports"], &[0x40, 0x43]),
        (0x1, 0x4) => (&["Sports"], &[0x40, 0x45]),
        (0x1, 0x5) => (&["Sports"], &[0x40, 0x4B]),
        (0x1, 0x6) => (&["Sports"], &[0x40, 0x41]),
        (0x1, 0x7) => (&["Sports"], &[0x40, 0x46]),
        (0x1, 0x8) => (&["Sports"], &[0x40, 0x47]),
        (0x1, 0x9) => (&["Sports"], &[0x40, 0x48]),
        (0x1, 0xA) => (&["Sports"], &[0x40, 0x4A]),
        (0x1, _) => (&["Sports"], &[0x40]),
        (0x2, 0x1) => (&[], &[0x33, 0x7B]),
        (0x2, 0x3) => (&[], &[0x33, 0xA4]),
        (0x2, 0x4) => (&[], &[0x33, 0xA6]),
        (0x2, 0x5) => (&[], &[0x33, 0xA5]),
        (0x2, _) => (&[], &[0x33]),
        (0x3, _) => (&[], &[0x10]),
        (0x4, 0x0 | 0x1) => (&[], &[0x60, 0x61]),
        (0x4, 0x2) => (&[], &[0x60, 0x62]),
        (0x4, 0x3) => (&[], &[0x60, 0x64]),
        (0x4, 0x8) => (&[], &[0x60, 0x63]),
        (0x4, 0x9) => (&["Kids"], &[0x60, 0x50]),
        (0x4, _) => (&[], &[0x60]),
        (0x5, 0x0 | 0x1) => (&[], &[0x32, 0x31]),
        (0x5, 0x2) => (&[], &[0x32, 0x33]),
        (0x5, 0x3) => (&[], &[0x32, 0x14]),
        (0x5, _) => (&[], &[0x32]),
        (0x6, 0x2) => (&["Movie", "Animation"], &[0x10, 0x55]),
        (0x6, _) => (&["Movie"], &[0x10]),
        (0x7, _) => (&["Animation"], &[0x55]),
        (0x8, 0x2) => (&["Documentary"], &[0x23, 0x91]),
        (0x8, 0x3) => (&["Documentary"], &[0x23, 0x92]),
        (0x8, 0x4) => (&["Documentary"], &[0x23, 0x74]),
        (0x8, 0x5) => (&["Documentary"], &[0x23, 0x75]),
        (0x8, 0x8) => (&["Documentary"], &[0x23, 0x24]),
        (0x8, _) => (&["Documentary"], &[0x23]),
        (0x9, 0x1) => (&[], &[0x71, 0x65]),
        (0x9, 0x2) => (&[], &[0x71, 0x66]),
        (0x9, _) => (&[], &[0x71]),
        (0xA, 0x0) => (&[], &[0xA0, 0xA1]),
        (0xA, 0x1) => (&[], &[0xA0, 0xA7]),
        (0xA, 0x2) => (&[], &[0xA0, 0x72]),
        (0xA, 0x5) => (&[], &[0xA0, 0xA3]),
        (0xA, 0x7) => (&[], &[0xA0, 0x97]),
        (0xA, 0x8) => (&["Kids"], &[0xA0, 0x51]),
        (0xA, 0x9 | 0xA) => (&[], &[0xA0, 0x90]),
        (0xA, 0xB) => (&[], &[0xA0, 0x96]),
        (0xA, _) => (&[], &[0xA0]),
        (0xB, _) => (&[], &[0x80]),
        _ => (&[], &[]),
    }
}

/// Consumer words and DVB codes of an ARIB 0xE1 (broadband CS) user byte.
fn arib_cs(user: u8) -> (&'static [&'static str], &'static [u8]) {
    match user >> 4 {
        0x0 => match user {
            0x00 => (&["Sports"], &[0x40, 0x44]),
            0x01..=0x03 => (&["Sports"], &[0x40, 0x45]),
            0x04 | 0x05 => (&["Sports"], &[0x40, 0x4B]),
            _ => (&["Sports"], &[0x40]),
        },
        0x1 | 0x2 => {
            let codes: &'static [u8] = match user & 0x0F {
                0x0 | 0x6 | 0xA => &[0x10, 0x12],
                0x1 | 0x5 => &[0x10, 0x13],
                0x2 => &[0x10, 0x14],
                0x3 => &[0x10, 0x11],
                0x4 => &[0x10, 0x16],
                0x7 => &[0x10, 0x17],
                0x8 => &[0x10, 0x55],
                0x9 => &[0x10, 0x23],
                0xB => &[0x10, 0x65],
                0xC => &[0x10, 0x15],
                _ => &[0x10],
            };
            (&["Movie"], codes)
        }
        _ => (&[], &[]),
    }
}

/// The English category names of one content-descriptor entry `[level1, level2, user1,
/// user2]`, consumer words first, without duplicates. ARIB 0xE0 programme attributes and other
/// ARIB extension entries give none.
pub(super) fn english_names(isdb: bool, g: &[u8; 4]) -> Vec<&'static str> {
    let (l1, l2) = (g[0] & 0x0F, g[1] & 0x0F);
    let (words, codes): (&[&str], Vec<u8>) = if isdb {
        match (l1, l2) {
            (0xE, 0x1) => {
                let (w, c) = arib_cs((g[2] << 4) | (g[3] & 0x0F));
                (w, c.to_vec())
            }
            (0xE, _) => (&[], Vec::new()),
            _ => {
                let (w, c) = arib(l1, l2);
                (w, c.to_vec())
            }
        }
    } else {
        let words: &[&str] = match l1 {
            0x2 => &["News"],
            0x4 => &["Sports"],
            0x5 => &["Kids"],
            _ => &[],
        };
        let mut codes = Vec::new();
        if dvb_name(l1 << 4).is_some() {
            codes.push(l1 << 4);
            if l2 != 0 {
                codes.push((l1 << 4) | l2);
            }
        }
        (words, codes)
    };
    let mut out: Vec<&'static str> = Vec::new();
    for name in words
        .iter()
        .copied()
        .chain(codes.iter().filter_map(|&c| dvb_name(c)))
    {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Whether a content-descriptor entry says the event is a film (ARIB 映画, or the CS 洋画/邦画
/// tables).
pub(super) fn is_film(isdb: bool, g: &[u8; 4]) -> bool {
    let (l1, l2) = (g[0] & 0x0F, g[1] & 0x0F);
    isdb && (l1 == 0x6 || (l1 == 0xE && l2 == 0x1 && matches!(g[2] & 0x0F, 0x1 | 0x2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arib_and_dvb_entries() {
        assert_eq!(
            english_names(true, &[0x0, 0x1, 0xF, 0xF]),
            ["News", "News / Current affairs", "News / Weather report"]
        );
        assert_eq!(
            english_names(true, &[0x6, 0x0, 0xF, 0xF]),
            ["Movie", "Movie / Drama"]
        );
        assert_eq!(
            english_names(true, &[0xA, 0x8, 0xF, 0xF]),
            ["Kids", "Leisure hobbies", "Pre-school children's programs"]
        );
        assert_eq!(
            english_names(true, &[0x7, 0x0, 0xF, 0xF]),
            ["Animation", "Cartoons / Puppets"]
        );
        // CS: 洋画 / アクション.
        assert_eq!(
            english_names(true, &[0xE, 0x1, 0x1, 0x0]),
            ["Movie", "Movie / Drama", "Adventure / Western / War"]
        );
        // Attributes and other extensions have no genre name.
        assert!(english_names(true, &[0xE, 0x0, 0x0, 0x1]).is_empty());
        assert!(english_names(true, &[0xF, 0xF, 0xF, 0xF]).is_empty());
        // DVB: its own codes in tvheadend's words.
        assert_eq!(
            english_names(false, &[0x4, 0x3, 0, 0]),
            ["Sports", "Football / Soccer"]
        );
        assert_eq!(
            english_names(false, &[0x5, 0x0, 0, 0]),
            ["Kids", "Children's / Youth programs"]
        );
        assert!(english_names(false, &[0xB, 0x1, 0, 0]).is_empty());
        assert!(english_names(false, &[0x1, 0xE, 0, 0]) == ["Movie / Drama"]);
    }

    #[test]
    fn every_arib_genre_names_known_codes() {
        for l1 in 0..16u8 {
            for l2 in 0..16u8 {
                let (_, codes) = arib(l1, l2);
                for c in codes {
                    assert!(dvb_name(*c).is_some(), "{l1:X}-{l2:X} → {c:02X}");
                }
            }
        }
        for u in 0..=255u8 {
            for c in arib_cs(u).1 {
                assert!(dvb_name(*c).is_some(), "CS {u:02X} → {c:02X}");
            }
        }
        assert!(is_film(true, &[0x6, 0x1, 0xF, 0xF]) && is_film(true, &[0xE, 0x1, 0x2, 0x3]));
        assert!(!is_film(true, &[0xE, 0x1, 0x0, 0x3]) && !is_film(false, &[0x6, 0x0, 0, 0]));
    }
}
