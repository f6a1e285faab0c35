//! Component descriptors: what streams an event carries. Video and DVB audio (component 0x50),
//! the link to the PMT (stream_identifier 0x52), ARIB audio (audio_component 0xC4) and ARIB data
//! and captions (data_content 0xC7).

use crate::error::SiError;
use crate::si::parse::{array, bits_u8, counted, flag, len8, packed, records, run, u16_f, u8_f};
use nom::combinator::{cond, rest};
use nom::Parser;

/// component_descriptor 0x50 (ETSI EN 300 468 6.2.8; ARIB STD-B10 6.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component<'a> {
    /// stream_content_ext (DVB, high nibble of the first byte; reserved_future_use in ARIB).
    pub stream_content_ext: u8,
    /// stream_content (low nibble): ARIB 0x01 MPEG-2 video, 0x02 audio, 0x05 H.264.
    pub stream_content: u8,
    /// component_type (see [`crate::si::genre::video_component`] for ARIB video).
    pub component_type: u8,
    /// component_tag (matches stream_identifier_descriptor in the PMT).
    pub component_tag: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// text, raw text bytes.
    pub text: &'a [u8],
}

view_tag!(Component<'a>);

impl<'a> Component<'a> {
    /// The descriptor_tag, 0x50.
    pub const TAG: u8 = 0x50;

    /// Parses and validates the descriptor body (without tag and length):
    /// stream_content_ext(4) stream_content(4) component_type(8) component_tag(8)
    /// ISO_639_language_code(24) text.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "component descriptor";
        let ((stream_content_ext, stream_content), component_type, component_tag, lang, text) =
            run(
                (
                    packed(what, (bits_u8::<4>(), bits_u8::<4>())),
                    u8_f(what),
                    u8_f(what),
                    array::<3>(what),
                    rest,
                ),
                body,
            )?;
        Ok(Component {
            stream_content_ext,
            stream_content,
            component_type,
            component_tag,
            lang,
            text,
        })
    }
}

/// stream_identifier_descriptor 0x52 (ETSI EN 300 468 6.2.39; ARIB STD-B10 6.2.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamIdentifier {
    /// component_tag.
    pub component_tag: u8,
}

view_tag!(StreamIdentifier);

impl StreamIdentifier {
    /// The descriptor_tag, 0x52.
    pub const TAG: u8 = 0x52;

    /// Parses and validates the descriptor body (without tag and length): component_tag(8).
    pub fn parse(body: &[u8]) -> Result<Self, SiError> {
        let component_tag = run(u8_f("stream identifier descriptor"), body)?;
        Ok(StreamIdentifier { component_tag })
    }
}

/// audio_component_descriptor 0xC4 (ARIB STD-B10 6.2.26).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioComponent<'a> {
    /// stream_content (low nibble of the first byte; 0x02 for audio).
    pub stream_content: u8,
    /// component_type (see [`crate::si::genre::audio_component`]).
    pub component_type: u8,
    /// component_tag.
    pub component_tag: u8,
    /// stream_type (ISO/IEC 13818-1: 0x0F MPEG-2 AAC, 0x11 MPEG-4 AAC LATM).
    pub stream_type: u8,
    /// simulcast_group_tag (0xFF: no simulcast).
    pub simulcast_group_tag: u8,
    /// ES_multi_lingual_flag: two languages in one ES (dual mono).
    pub es_multi_lingual: bool,
    /// main_component_flag.
    pub main_component: bool,
    /// quality_indicator (2 bits: 1 mode 1, 2 mode 2, 3 mode 3).
    pub quality_indicator: u8,
    /// sampling_rate code (3 bits; see [`AudioComponent::sampling_rate_hz`]).
    pub sampling_rate: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// ISO_639_language_code_2, present only when `es_multi_lingual`.
    pub lang2: Option<[u8; 3]>,
    /// text, raw text bytes (for dual mono often "日本語\n英語").
    pub text: &'a [u8],
}

view_tag!(AudioComponent<'a>);

impl<'a> AudioComponent<'a> {
    /// The descriptor_tag, 0xC4.
    pub const TAG: u8 = 0xC4;

    /// Parses and validates the descriptor body (without tag and length):
    /// reserved(4) stream_content(4) component_type(8) component_tag(8) stream_type(8)
    /// simulcast_group_tag(8) ES_multi_lingual_flag(1) main_component_flag(1)
    /// quality_indicator(2) sampling_rate(3) reserved(1) ISO_639_language_code(24)
    /// [ISO_639_language_code_2(24) if ES_multi_lingual_flag] text.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "audio component descriptor";
        let (
            i,
            (
                (_reserved, stream_content),
                component_type,
                component_tag,
                stream_type,
                simulcast_group_tag,
                (es_multi_lingual, main_component, quality_indicator, sampling_rate, _),
                lang,
            ),
        ) = crate::si::parse::finish(
            (
                packed(what, (bits_u8::<4>(), bits_u8::<4>())),
                u8_f(what),
                u8_f(what),
                u8_f(what),
                u8_f(what),
                packed(
                    what,
                    (
                        flag(),
                        flag(),
                        bits_u8::<2>(),
                        bits_u8::<3>(),
                        bits_u8::<1>(),
                    ),
                ),
                array::<3>(what),
            )
                .parse_complete(body),
        )?;
        let (lang2, text) = run((cond(es_multi_lingual, array::<3>(what)), rest), i)?;
        Ok(AudioComponent {
            stream_content,
            component_type,
            component_tag,
            stream_type,
            simulcast_group_tag,
            es_multi_lingual,
            main_component,
            quality_indicator,
            sampling_rate,
            lang,
            lang2,
            text,
        })
    }
}

impl AudioComponent<'_> {
    /// The sampling rate in Hz (ARIB STD-B10 table 6-45), `None` for reserved codes.
    pub fn sampling_rate_hz(&self) -> Option<u32> {
        crate::si::genre::sampling_rate_hz(self.sampling_rate)
    }
}

/// data_content_descriptor 0xC7 (ARIB STD-B10 6.2.28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataContent<'a> {
    /// data_component_id (0x0008: ARIB caption, STD-B24).
    pub data_component_id: u16,
    /// entry_component (component_tag of the first stream to read).
    pub entry_component: u8,
    /// selector_byte run, raw.
    pub selector: &'a [u8],
    /// component_ref values.
    pub component_refs: &'a [u8],
    /// ISO_639_language_code.
    pub lang: [u8; 3],
    /// text, raw text bytes.
    pub text: &'a [u8],
}

/// data_component_id of ARIB captions (ARIB STD-B10 table J-1 / STD-B24).
pub const DATA_COMPONENT_CAPTION: u16 = 0x0008;

view_tag!(DataContent<'a>);

impl<'a> DataContent<'a> {
    /// The descriptor_tag, 0xC7.
    pub const TAG: u8 = 0xC7;

    /// Parses and validates the descriptor body (without tag and length):
    /// data_component_id(16) entry_component(8) selector_length(8) selector_byte
    /// num_of_component_ref(8) component_ref ISO_639_language_code(24) text_length(8) text.
    pub fn parse(body: &'a [u8]) -> Result<Self, SiError> {
        let what = "data content descriptor";
        let (data_component_id, entry_component, selector, component_refs, lang, text) = run(
            (
                u16_f(what),
                u8_f(what),
                len8("selector_length"),
                len8("num_of_component_ref"),
                array::<3>(what),
                len8("text_length"),
            ),
            body,
        )?;
        Ok(DataContent {
            data_component_id,
            entry_component,
            selector,
            component_refs,
            lang,
            text,
        })
    }
}

/// One language of an ARIB caption selector (arib_caption_info, ARIB STD-B24 / TR-B14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaptionLanguage {
    /// language_tag (3 bits, 0 = first language).
    pub language_tag: u8,
    /// DMF, display mode (4 bits).
    pub dmf: u8,
    /// ISO_639_language_code.
    pub lang: [u8; 3],
}

impl<'a> DataContent<'a> {
    /// Whether this describes ARIB captions (`data_component_id == 0x0008`).
    pub fn is_caption(&self) -> bool {
        self.data_component_id == DATA_COMPONENT_CAPTION
    }

    /// For captions, the languages from the selector
    /// (`num_languages(8)`, then per language `language_tag(3) reserved(1) DMF(4)
    /// ISO_639_language_code(24)`). `None` if this is not a caption descriptor; `Err` if the
    /// selector is shorter than `num_languages` says.
    pub fn caption_languages(
        &self,
    ) -> Option<Result<impl Iterator<Item = CaptionLanguage> + 'a, SiError>> {
        if !self.is_caption() {
            return None;
        }
        let langs = run(
            u8_f("caption selector").flat_map(|n| counted("num_languages", usize::from(n) * 4)),
            self.selector,
        );
        Some(langs.map(|langs| records(langs, caption_language)))
    }
}

/// One caption language: language_tag(3) reserved(1) DMF(4) ISO_639_language_code(24).
fn caption_language(i: &[u8]) -> crate::si::parse::Res<'_, CaptionLanguage> {
    (
        packed(
            "caption language",
            (bits_u8::<3>(), bits_u8::<1>(), bits_u8::<4>()),
        ),
        array::<3>("caption language"),
    )
        .map(|((language_tag, _, dmf), lang)| CaptionLanguage {
            language_tag,
            dmf,
            lang,
        })
        .parse_complete(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_and_stream_content_ext() {
        let c = Component::parse(&[0xF5, 0xB3, 0x00, b'j', b'p', b'n', b'H', b'D']).unwrap();
        assert_eq!(c.stream_content_ext, 0xF);
        assert_eq!(c.stream_content, 0x5);
        assert_eq!(c.component_type, 0xB3);
        assert_eq!(c.component_tag, 0);
        assert_eq!(c.lang, *b"jpn");
        assert_eq!(c.text, b"HD");
        assert_eq!(
            Component::parse(&[0x01, 0xB3, 0x00, b'j', b'p']),
            Err(SiError::Truncated {
                what: "component descriptor"
            })
        );
        assert_eq!(
            Component::parse(&[]),
            Err(SiError::Truncated {
                what: "component descriptor"
            })
        );
    }

    #[test]
    fn stream_identifier() {
        assert_eq!(
            StreamIdentifier::parse(&[7, 8]),
            Ok(StreamIdentifier { component_tag: 7 })
        );
        assert_eq!(
            StreamIdentifier::parse(&[]),
            Err(SiError::Truncated {
                what: "stream identifier descriptor"
            })
        );
    }

    #[test]
    fn audio_component() {
        // stream_content 2, type 0x02 dual mono, tag 0x10, stream_type 0x0F, simulcast 0xFF,
        // flags: multi-lingual 1, main 1, quality 3, sampling 0b111 (48 kHz)
        let mut b = vec![0xF2, 0x02, 0x10, 0x0F, 0xFF, 0b1111_1111];
        b.extend(b"jpneng");
        b.extend("日本語\n英語".as_bytes());
        let a = AudioComponent::parse(&b).unwrap();
        assert_eq!(a.stream_content, 2);
        assert_eq!(a.component_type, 2);
        assert_eq!(a.component_tag, 0x10);
        assert_eq!(a.stream_type, 0x0F);
        assert_eq!(a.simulcast_group_tag, 0xFF);
        assert!(a.es_multi_lingual && a.main_component);
        assert_eq!(a.quality_indicator, 3);
        assert_eq!(a.sampling_rate, 7);
        assert_eq!(a.sampling_rate_hz(), Some(48_000));
        assert_eq!(a.lang, *b"jpn");
        assert_eq!(a.lang2, Some(*b"eng"));
        assert_eq!(a.text, "日本語\n英語".as_bytes());
        // single language: no second code, text follows directly
        let b = [
            0xF2,
            0x03,
            0x10,
            0x11,
            0xFF,
            0b0101_1100,
            b'j',
            b'p',
            b'n',
            b'x',
        ];
        let a = AudioComponent::parse(&b).unwrap();
        assert!(!a.es_multi_lingual && a.main_component);
        assert_eq!(a.quality_indicator, 1);
        assert_eq!(a.sampling_rate, 0b110);
        assert_eq!(a.sampling_rate_hz(), Some(44_100));
        assert_eq!(a.lang2, None);
        assert_eq!(a.text, b"x");
        // multi-lingual flag set but second code missing
        let b = [0xF2, 0x02, 0x10, 0x0F, 0xFF, 0x80, b'j', b'p', b'n', b'e'];
        assert_eq!(
            AudioComponent::parse(&b),
            Err(SiError::Truncated {
                what: "audio component descriptor"
            })
        );
        // cut inside the fixed fields
        assert_eq!(
            AudioComponent::parse(&[0xF2, 0x02, 0x10, 0x0F, 0xFF]),
            Err(SiError::Truncated {
                what: "audio component descriptor"
            })
        );
    }

    #[test]
    fn data_content_captions() {
        // captions: selector = num_languages 2, (tag 0, DMF 0b1010, jpn), (tag 1, DMF 0, eng)
        let mut b = vec![
            0x00, 0x08, 0x30, 9, 2, 0x0A, b'j', b'p', b'n', 0x20, b'e', b'n', b'g',
        ];
        b.extend([1, 0x30]); // one component_ref
        b.extend(b"jpn");
        b.extend([2, b'C', b'C']);
        let d = DataContent::parse(&b).unwrap();
        assert_eq!(d.data_component_id, 8);
        assert!(d.is_caption());
        assert_eq!(d.entry_component, 0x30);
        assert_eq!(d.selector.len(), 9);
        assert_eq!(d.component_refs, &[0x30]);
        assert_eq!(d.lang, *b"jpn");
        assert_eq!(d.text, b"CC");
        let langs: Vec<_> = d.caption_languages().unwrap().unwrap().collect();
        assert_eq!(
            langs,
            vec![
                CaptionLanguage {
                    language_tag: 0,
                    dmf: 0x0A,
                    lang: *b"jpn"
                },
                CaptionLanguage {
                    language_tag: 1,
                    dmf: 0,
                    lang: *b"eng"
                }
            ]
        );
        // not captions
        let b = [0x00, 0x0C, 0x40, 0, 0, b'j', b'p', b'n', 0];
        let d = DataContent::parse(&b).unwrap();
        assert!(!d.is_caption());
        assert!(d.caption_languages().is_none());
        // caption selector shorter than num_languages says
        let b = [0x00, 0x08, 0x30, 2, 3, 0x0A, 0, b'j', b'p', b'n', 0];
        let d = DataContent::parse(&b).unwrap();
        assert!(matches!(
            d.caption_languages(),
            Some(Err(SiError::LengthOverrun {
                what: "num_languages"
            }))
        ));
        // an empty caption selector
        let b = [0x00, 0x08, 0x30, 0, 0, b'j', b'p', b'n', 0];
        let d = DataContent::parse(&b).unwrap();
        assert!(matches!(
            d.caption_languages(),
            Some(Err(SiError::Truncated {
                what: "caption selector"
            }))
        ));
        // selector_length past the descriptor
        assert_eq!(
            DataContent::parse(&[0x00, 0x08, 0x30, 9, 1]),
            Err(SiError::LengthOverrun {
                what: "selector_length"
            })
        );
    }
}
