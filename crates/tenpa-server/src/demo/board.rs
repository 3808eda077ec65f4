//! The demo board with a year of competency appraisals (BC-1, BC-2), and two PCTs' professional
//! executive committees from `examples/pec/` (one compliant, one not).

use super::DemoError;
use tenpa_rules::board_competency::{Framework, Rating, Ratings};
use tenpa_rules::pec::parse_pec;
use tenpa_store::{BoardAppraisal, Director, Store};

const PECS: [(&str, &str); 2] = [
    (
        "northshire-compliant.toml",
        include_str!("../../../../examples/pec/northshire-compliant.toml"),
    ),
    (
        "southvale-non-compliant.toml",
        include_str!("../../../../examples/pec/southvale-non-compliant.toml"),
    ),
];

/// A demo director: name, account, position, title, domains left out of the job description.
type DemoDirector = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// The appraisal year of the demo.
pub const YEAR: i64 = 2024;

/// Every statement rated `default` except the overrides, with a line of evidence each.
fn ratings(fw: &Framework, default: &str, overrides: &[(&str, &str)]) -> Ratings {
    fw.statement_ids()
        .map(|id| {
            let rating = overrides
                .iter()
                .find(|(k, _)| *k == id)
                .map_or(default, |(_, r)| r);
            let evidence = if rating == "no_chance" {
                String::new()
            } else {
                format!("Board minutes and 1:1 notes, {YEAR}/25")
            };
            (
                id.to_string(),
                Rating {
                    rating: rating.to_string(),
                    evidence,
                },
            )
        })
        .collect()
}

/// Loads the board and the PECs.
pub async fn load(store: &Store, actor: &str) -> Result<(), DemoError> {
    let fw = Framework::latest();
    let all: Vec<String> = fw.domains.iter().map(|d| d.key.clone()).collect();
    let org = store
        .create_organisation(actor, "Tenpa Demo NHS Foundation Trust", "trust")
        .await?;
    let board: [DemoDirector; 5] = [
        (
            "Dame Alison Ford",
            Some("board.chair"),
            "chair",
            "Chair",
            &[],
        ),
        (
            "Mr Jonathan Reid",
            Some("chief.executive"),
            "chief_executive",
            "Chief Executive",
            &[],
        ),
        (
            "Dr Ruth Adeyemi",
            Some("medical.director"),
            "executive",
            "Medical Director",
            &[],
        ),
        (
            "Ms Laura Bennett",
            None,
            "executive",
            "Director of Finance",
            &["culture", "partnership"],
        ),
        (
            "Mr Victor Osei",
            Some("board.member"),
            "non_executive",
            "Non-executive Director",
            &[],
        ),
    ];
    let mut ids = Vec::new();
    for (name, username, position, title, missing) in board {
        let id = store
            .create_director(
                actor,
                &Director {
                    id: 0,
                    organisation_id: org,
                    name: name.into(),
                    username: username.map(str::to_string),
                    position: position.into(),
                    title: title.into(),
                    job_domains: all
                        .iter()
                        .filter(|k| !missing.contains(&k.as_str()))
                        .cloned()
                        .collect(),
                },
            )
            .await?;
        ids.push(id);
    }
    // The year's appraisals (the chair is appraised outside the board): the chief executive's and
    // the medical director's signed off by both; the non-executive's signed by the director only;
    // the finance director's self-assessment still incomplete.
    let (ce, md, fd, ned) = (ids[1], ids[2], ids[3], ids[4]);
    let cycle: [(i64, Ratings, bool, bool, &str); 4] = [
        (
            ce,
            ratings(
                &fw,
                "often",
                &[
                    ("strategy.1", "almost_always"),
                    ("equality.3", "sometimes"),
                    ("partnership.2", "rarely"),
                ],
            ),
            true,
            true,
            "Chair",
        ),
        (
            md,
            ratings(
                &fw,
                "almost_always",
                &[("equality.3", "no_chance"), ("partnership.4", "no_chance")],
            ),
            true,
            true,
            "Chief executive",
        ),
        (
            ned,
            ratings(
                &fw,
                "often",
                &[
                    ("equality.3", "no_chance"),
                    ("governance.2", "almost_always"),
                ],
            ),
            true,
            false,
            "Chair",
        ),
        (fd, ratings(&fw, "often", &[]), false, false, ""),
    ];
    for (director, mut r, director_signed, appraiser_signed, appraiser) in cycle {
        let id = store
            .create_board_appraisal(actor, director, YEAR, &fw.version)
            .await?;
        if !director_signed {
            // Half done.
            let keep: Vec<String> = r.keys().take(10).cloned().collect();
            r.retain(|k, _| keep.contains(k));
        }
        let at = format!("{YEAR}-06-30T10:00:00Z");
        let a = BoardAppraisal {
            id,
            director_id: director,
            year: YEAR,
            framework_version: fw.version.clone(),
            ratings: r,
            discussion: if appraiser_signed {
                format!("{appraiser} and director discussed the self-assessment at the annual appraisal; strongest in outcomes and governance.")
            } else {
                String::new()
            },
            objectives: if appraiser_signed {
                "1. Lead the board's work on reducing health inequalities. 2. Meet community partners each quarter.".into()
            } else {
                String::new()
            },
            director_signed_at: director_signed.then(|| at.clone()),
            appraiser_signed_at: appraiser_signed.then(|| at.clone()),
            version: 1,
            updated_at: String::new(),
        };
        store.save_board_appraisal(actor, "demo", &a).await?;
    }
    for (file, text) in PECS {
        let doc =
            parse_pec(file, text.as_bytes(), true).map_err(|e| DemoError::Data(e.to_string()))?;
        let json = serde_json::to_string(&doc).map_err(|e| DemoError::Data(e.to_string()))?;
        store
            .put_pec(actor, &doc.pct.name, &doc.pct.sha, &json)
            .await?;
    }
    Ok(())
}
