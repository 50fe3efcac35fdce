//! The packet page, `<slug>.html` beside the Markdown packet: the same document (summary
//! first), its charts inline, every listed item unfolded, and a print style sheet — A4 or
//! Letter with the page's margins, each section on a new page, no table row cut across pages —
//! so that the browser's "Print to PDF" gives a document for a promotion case.

use super::figure;
use super::md::Convert;
use crate::model::{Person, Report};
use crate::render::chart;
use crate::render::packet::{packet, PacketOptions};

/// Chart targets the packet's Markdown is written with, replaced by the inline charts.
const PROFILE: &str = "profile.svg";
const TIMELINE: &str = "timeline.svg";

/// The promotion packet of `p` as one self-contained HTML document. `evidence_csv`: the file
/// beside it with every evidence item, named in the document when it lists only some.
pub fn packet_page(report: &Report, p: &Person, evidence_csv: Option<&str>) -> String {
    let markdown = packet(
        report,
        p,
        &PacketOptions {
            charts: Some((PROFILE.to_string(), TIMELINE.to_string())),
            evidence_csv: evidence_csv.map(str::to_string),
        },
    );
    let image = |target: &str, alt: &str| -> Option<String> {
        let svg = match target {
            PROFILE => chart::glue_profile_svg(report, p),
            TIMELINE => chart::timeline_svg(report, p),
            _ => return None,
        };
        Some(figure(&svg, alt))
    };
    let conv = Convert {
        image: &image,
        replace: &|_, _| None,
        open_details: true,
        sections: true,
        shift: 0,
    };
    let body = super::document(&markdown, &conv, &super::about(report));
    super::page(&format!("Glue work: {}", p.name), &body, None, "packet")
}
