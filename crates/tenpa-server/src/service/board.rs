//! Boards and the annual competency appraisal of board-level directors (BC-1, BC-2).
//!
//! Who may do what:
//! - organisations and directors are recorded by an `admin`; a job description's domains by an
//!   `admin` or the board's chair;
//! - a director sees and fills in their own appraisal; the appraiser (the chair for the chief
//!   executive and non-executive directors, the chief executive for executive directors) sees the
//!   appraisals of those they appraise and records the discussion and development objectives; the
//!   chair sees the whole board and its report. Everyone else is refused, whatever their role.
//! - an appraisal is signed off by the director and by the appraiser; neither can sign off an
//!   incomplete self-assessment (422), and a signed self-assessment can no longer be changed (409).

use crate::error::{ApiResult, AppError};
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::board_competency::{
    check_job_description, completeness, profile, Completeness, Framework, Profile, Ratings,
};
use tenpa_rules::Finding;
use tenpa_store::{BoardAppraisal, Director, Organisation, User};
use utoipa::ToSchema;

pub(crate) fn admin(u: &User) -> ApiResult<()> {
    if crate::policy::may_administer(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "organisations and directors are recorded by an admin".into(),
        ))
    }
}

pub(crate) fn framework(version: &str) -> ApiResult<Framework> {
    Framework::embedded(version)
        .ok_or_else(|| AppError::Internal(format!("framework version {version} is not embedded")))
}

/// A new organisation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// Name.
    pub name: String,
    /// `trust`, `icb` or `nhs_england`.
    pub kind: String,
}

/// Records an organisation for `user` (the API and the board set-up page): an admin.
pub async fn record_organisation(
    state: &AppState,
    user: &User,
    body: &NewOrganisation,
) -> ApiResult<i64> {
    admin(user)?;
    Ok(state
        .store
        .create_organisation(&user.username, body.name.trim(), &body.kind)
        .await?)
}

/// The organisations `user` may see: every one for an admin, otherwise those on whose board they
/// sit.
pub(crate) async fn visible_organisations(
    state: &AppState,
    user: &User,
) -> ApiResult<Vec<Organisation>> {
    let all = state.store.organisations().await?;
    if crate::policy::may_administer(user) {
        return Ok(all);
    }
    let mine = state.store.directors_of_user(&user.username).await?;
    Ok(all
        .into_iter()
        .filter(|o| mine.iter().any(|d| d.organisation_id == o.id))
        .collect())
}

/// A new director.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDirector {
    /// The organisation.
    pub organisation_id: i64,
    /// Name.
    pub name: String,
    /// The user account the director signs in with.
    #[serde(default)]
    pub username: Option<String>,
    /// `chair`, `chief_executive`, `executive` or `non_executive`.
    pub position: String,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// The framework domain keys the job description covers.
    #[serde(default)]
    pub job_domains: Vec<String>,
}

/// Records a director for `user` (the API and the board set-up page): an admin. Answers the id
/// and the job description's findings (BC-2).
pub async fn record_director(
    state: &AppState,
    user: &User,
    body: NewDirector,
) -> ApiResult<(i64, Vec<tenpa_rules::Finding>)> {
    admin(user)?;
    let d = Director {
        id: 0,
        organisation_id: body.organisation_id,
        name: body.name.trim().into(),
        username: body.username,
        position: body.position,
        title: body.title,
        job_domains: body.job_domains,
    };
    let id = state.store.create_director(&user.username, &d).await?;
    let findings = check_job_description(&Framework::latest(), &d.job_domains);
    Ok((id, findings))
}

/// Whether the caller is the board's chair.
pub(crate) fn chair_of(mine: &[Director], organisation_id: i64) -> bool {
    mine.iter()
        .any(|d| d.organisation_id == organisation_id && d.position == "chair")
}

/// The position of a director's appraiser: the chair for the chief executive and non-executives,
/// the chief executive for executive directors; none within the board for the chair.
pub fn appraiser_position(position: &str) -> Option<&'static str> {
    match position {
        "chief_executive" | "non_executive" => Some("chair"),
        "executive" => Some("chief_executive"),
        _ => None,
    }
}

/// The caller's relation to a director.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Relation {
    /// The caller is the director.
    pub(crate) own: bool,
    /// The caller is the director's appraiser.
    pub(crate) appraiser: bool,
    /// The caller chairs the director's board.
    pub(crate) chair: bool,
}

/// The caller's relation to a director.
pub(crate) async fn relation(state: &AppState, user: &User, d: &Director) -> ApiResult<Relation> {
    let mine = state.store.directors_of_user(&user.username).await?;
    let own = mine.iter().any(|m| m.id == d.id);
    let appraiser = appraiser_position(&d.position).is_some_and(|p| {
        mine.iter()
            .any(|m| m.organisation_id == d.organisation_id && m.position == p && m.id != d.id)
    });
    Ok(Relation {
        own,
        appraiser,
        chair: chair_of(&mine, d.organisation_id),
    })
}

/// A director, or 404.
pub(crate) async fn load_director(state: &AppState, id: i64) -> ApiResult<Director> {
    state
        .store
        .director(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("director {id}")))
}

/// A director with their job description check.
#[derive(Serialize, ToSchema)]
pub struct DirectorView {
    /// The director.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub director: Director,
    /// BC-2 findings on the job description's domains.
    #[schema(value_type = Vec<Object>)]
    pub job_description_findings: Vec<Finding>,
}

pub(crate) fn director_view(d: Director) -> DirectorView {
    let job_description_findings = check_job_description(&Framework::latest(), &d.job_domains);
    DirectorView {
        director: d,
        job_description_findings,
    }
}

/// The domains a job description covers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobDescription {
    /// Framework domain keys.
    pub domains: Vec<String>,
}

/// Records the domains director `id`'s job description covers: an admin or the board's chair; a
/// domain that is not one of the framework's is refused, naming it.
pub(crate) async fn record_job_description(
    state: &AppState,
    user: &User,
    id: i64,
    domains: &[String],
) -> ApiResult<()> {
    let d = load_director(state, id).await?;
    let rel = relation(state, user, &d).await?;
    if !crate::policy::may_keep_board(user, rel.chair) {
        return Err(AppError::Forbidden(
            "a job description is recorded by an admin or the board's chair".into(),
        ));
    }
    let fw = Framework::latest();
    if let Some(unknown) = domains
        .iter()
        .find(|k| !fw.domains.iter().any(|d| &d.key == *k))
    {
        let known: Vec<&str> = fw.domains.iter().map(|d| d.key.as_str()).collect();
        return Err(AppError::unprocessable_at(
            "domains",
            format!(
                "`{unknown}` is not a domain of the framework: expected one of {}",
                known.join(", ")
            ),
        ));
    }
    let mut domains: Vec<String> = domains.to_vec();
    domains.sort();
    domains.dedup();
    state
        .store
        .set_job_domains(&user.username, id, &domains)
        .await?;
    Ok(())
}

/// A new appraisal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppraisal {
    /// The director.
    pub director_id: i64,
    /// The year it starts (2024 = 2024/25).
    pub year: i64,
}

/// Opens a director's appraisal for a year against the latest framework, as the director or their
/// appraiser: the new appraisal's id and framework version.
pub(crate) async fn open_appraisal(
    state: &AppState,
    user: &User,
    director_id: i64,
    year: i64,
) -> ApiResult<(i64, String)> {
    let d = load_director(state, director_id).await?;
    let rel = relation(state, user, &d).await?;
    if !rel.own && !rel.appraiser {
        return Err(AppError::Forbidden(
            "an appraisal is opened by the director or their appraiser".into(),
        ));
    }
    if !(2000..=2100).contains(&year) {
        return Err(AppError::unprocessable_at(
            "year",
            format!("found {year}, expected a year such as 2024"),
        ));
    }
    let fw = Framework::latest();
    let id = state
        .store
        .create_board_appraisal(&user.username, d.id, year, &fw.version)
        .await?;
    Ok((id, fw.version))
}

/// An appraisal with its completeness (BC-2) and the director's profile across domains.
#[derive(Serialize, ToSchema)]
pub struct AppraisalView {
    /// The appraisal.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub appraisal: BoardAppraisal,
    /// The director.
    #[schema(value_type = Object)]
    pub director: Director,
    /// How complete the self-assessment is.
    #[schema(value_type = Object)]
    pub completeness: Completeness,
    /// The profile across domains.
    #[schema(value_type = Object)]
    pub profile: Profile,
}

/// An appraisal, its director and the caller's relation to them; refused unless the caller is the
/// director, their appraiser or the chair.
pub(crate) async fn load_appraisal(
    state: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(BoardAppraisal, Director, Relation)> {
    let a = state
        .store
        .board_appraisal(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("appraisal {id}")))?;
    let d = load_director(state, a.director_id).await?;
    let rel = relation(state, user, &d).await?;
    if !rel.own && !rel.appraiser && !rel.chair {
        return Err(AppError::Forbidden(format!(
            "appraisal {id} is seen by the director, their appraiser and the chair"
        )));
    }
    Ok((a, d, rel))
}

pub(crate) fn view(a: BoardAppraisal, d: Director) -> ApiResult<AppraisalView> {
    let fw = framework(&a.framework_version)?;
    Ok(AppraisalView {
        completeness: completeness(&fw, &a.ratings),
        profile: profile(&fw, &[&a.ratings]),
        appraisal: a,
        director: d,
    })
}

/// The appraisals `user` may see: their own, those they appraise, and the whole board for a chair.
pub(crate) async fn visible_appraisals(
    state: &AppState,
    user: &User,
) -> ApiResult<Vec<BoardAppraisal>> {
    let mine = state.store.directors_of_user(&user.username).await?;
    let mut out = Vec::new();
    let mut orgs: Vec<i64> = mine.iter().map(|d| d.organisation_id).collect();
    orgs.sort_unstable();
    orgs.dedup();
    for org in orgs {
        let board = state.store.directors(org).await?;
        for a in state.store.board_appraisals(org, None).await? {
            let Some(d) = board.iter().find(|d| d.id == a.director_id) else {
                continue;
            };
            let sees = mine.iter().any(|m| {
                m.id == d.id
                    || (m.organisation_id == org
                        && (m.position == "chair"
                            || appraiser_position(&d.position) == Some(m.position.as_str())))
            });
            if sees {
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// A self-assessment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessment {
    /// The appraisal version edited.
    pub version: i64,
    /// A rating (scale key) and evidence notes per statement id.
    #[schema(value_type = Object)]
    pub ratings: Ratings,
}

/// Records the director's self-assessment: the director only, before they sign off; ratings of
/// statements the framework does not have, or off the scale, are refused.
pub(crate) async fn save_self_assessment(
    state: &AppState,
    user: &User,
    id: i64,
    version: i64,
    ratings: Ratings,
) -> ApiResult<()> {
    let (mut a, _, rel) = load_appraisal(state, user, id).await?;
    if !rel.own {
        return Err(AppError::Forbidden(
            "the self-assessment is the director's own".into(),
        ));
    }
    if a.director_signed_at.is_some() {
        return Err(AppError::Conflict {
            detail: "the director has signed off the self-assessment: it can no longer change"
                .into(),
            current_version: Some(a.version),
        });
    }
    let fw = framework(&a.framework_version)?;
    let c = completeness(&fw, &ratings);
    if !c.unknown_statements.is_empty() || !c.unknown_ratings.is_empty() {
        let detail = c
            .findings
            .iter()
            .filter(|f| !f.message.contains("not rated"))
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(AppError::unprocessable_at("ratings", detail));
    }
    a.version = version;
    a.ratings = ratings;
    state
        .store
        .save_board_appraisal(&user.username, "self_assess", &a)
        .await?;
    Ok(())
}

/// The appraiser's record of the discussion.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Discussion {
    /// The appraisal version edited.
    pub version: i64,
    /// The discussion.
    pub discussion: String,
    /// The agreed development objectives.
    pub objectives: String,
}

/// Records the discussion and development objectives: the appraiser only, before they sign off.
pub(crate) async fn save_discussion(
    state: &AppState,
    user: &User,
    id: i64,
    body: Discussion,
) -> ApiResult<()> {
    let (mut a, _, rel) = load_appraisal(state, user, id).await?;
    if !rel.appraiser {
        return Err(AppError::Forbidden(
            "the discussion is recorded by the appraiser (the chair for the chief executive and non-executives, the chief executive for executive directors)".into(),
        ));
    }
    if a.appraiser_signed_at.is_some() {
        return Err(AppError::Conflict {
            detail: "the appraiser has signed off: the discussion can no longer change".into(),
            current_version: Some(a.version),
        });
    }
    a.version = body.version;
    a.discussion = body.discussion;
    a.objectives = body.objectives;
    state
        .store
        .save_board_appraisal(&user.username, "discuss", &a)
        .await?;
    Ok(())
}

/// A sign-off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// The appraisal version signed.
    pub version: i64,
}

/// Signs off an appraisal as the director or as the appraiser: refused while the self-assessment
/// is incomplete, and for the appraiser until the discussion and objectives are recorded.
pub(crate) async fn sign(state: &AppState, user: &User, id: i64, version: i64) -> ApiResult<()> {
    let (mut a, _, rel) = load_appraisal(state, user, id).await?;
    if !rel.own && !rel.appraiser {
        return Err(AppError::Forbidden(
            "an appraisal is signed off by the director and their appraiser".into(),
        ));
    }
    let fw = framework(&a.framework_version)?;
    let c = completeness(&fw, &a.ratings);
    if !c.complete() {
        return Err(AppError::unprocessable_at(
            "ratings",
            format!(
                "the self-assessment is incomplete and cannot be signed off: {}",
                c.findings
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }
    let at = tenpa_store::now();
    if rel.own {
        if a.director_signed_at.is_some() {
            return Err(AppError::Conflict {
                detail: "the director has already signed off".into(),
                current_version: Some(a.version),
            });
        }
        a.director_signed_at = Some(at);
    } else {
        if a.appraiser_signed_at.is_some() {
            return Err(AppError::Conflict {
                detail: "the appraiser has already signed off".into(),
                current_version: Some(a.version),
            });
        }
        if a.discussion.trim().is_empty() || a.objectives.trim().is_empty() {
            return Err(AppError::unprocessable_at("discussion", "the appraiser records the discussion and development objectives before signing off".into()));
        }
        a.appraiser_signed_at = Some(at);
    }
    a.version = version;
    state
        .store
        .save_board_appraisal(&user.username, "sign_off", &a)
        .await?;
    Ok(())
}

/// Which year a board report covers.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The appraisal year.
    pub year: i64,
}

/// One director's line in the board report.
#[derive(Serialize, ToSchema)]
pub struct ReportDirector {
    /// Director id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
    /// BC-2 findings on the job description.
    #[schema(value_type = Vec<Object>)]
    pub job_description_findings: Vec<Finding>,
    /// The appraisal for the year, if opened.
    pub appraisal_id: Option<i64>,
    /// Statements rated of those in the framework.
    pub rated: usize,
    /// Whether the director and the appraiser have signed off.
    pub director_signed: bool,
    /// Whether the appraiser has signed off.
    pub appraiser_signed: bool,
}

/// The board-level view for a year.
#[derive(Serialize, ToSchema)]
pub struct BoardReport {
    /// The organisation.
    #[schema(value_type = Object)]
    pub organisation: Organisation,
    /// The year.
    pub year: i64,
    /// Each director.
    pub directors: Vec<ReportDirector>,
    /// The board profile over the complete self-assessments of the year (latest framework version
    /// among them): domains where the board is weakest, statements marked "no chance to
    /// demonstrate" by many.
    #[schema(value_type = Object)]
    pub profile: Profile,
}

/// The board-level view of an organisation for a year: its chair or an admin.
pub(crate) async fn board_report(
    state: &AppState,
    user: &User,
    id: i64,
    year: i64,
) -> ApiResult<BoardReport> {
    let mine = state.store.directors_of_user(&user.username).await?;
    if !crate::policy::may_keep_board(user, chair_of(&mine, id)) {
        return Err(AppError::Forbidden(
            "the board report is for the board's chair".into(),
        ));
    }
    let organisation = state
        .store
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| AppError::NotFound(format!("organisation {id}")))?;
    let board = state.store.directors(id).await?;
    let appraisals = state.store.board_appraisals(id, Some(year)).await?;
    let latest = Framework::latest();
    let fw = appraisals
        .iter()
        .map(|a| a.framework_version.as_str())
        .max()
        .map_or(Ok(latest), framework)?;
    let mut directors = Vec::new();
    for d in &board {
        let a = appraisals.iter().find(|a| a.director_id == d.id);
        directors.push(ReportDirector {
            id: d.id,
            name: d.name.clone(),
            position: d.position.clone(),
            job_description_findings: check_job_description(&fw, &d.job_domains),
            appraisal_id: a.map(|a| a.id),
            rated: a.map_or(0, |a| completeness(&fw, &a.ratings).rated),
            director_signed: a.is_some_and(|a| a.director_signed_at.is_some()),
            appraiser_signed: a.is_some_and(|a| a.appraiser_signed_at.is_some()),
        });
    }
    let complete: Vec<&Ratings> = appraisals
        .iter()
        .filter(|a| a.framework_version == fw.version && completeness(&fw, &a.ratings).complete())
        .map(|a| &a.ratings)
        .collect();
    Ok(BoardReport {
        organisation,
        year,
        directors,
        profile: profile(&fw, &complete),
    })
}

/// One year of a director's profile.
#[derive(Serialize, ToSchema)]
pub struct YearProfile {
    /// The appraisal year.
    pub year: i64,
    /// The appraisal.
    pub appraisal_id: i64,
    /// Whether the self-assessment is complete.
    pub complete: bool,
    /// The profile, read against the framework version the appraisal used.
    #[schema(value_type = Object)]
    pub profile: Profile,
}

/// A director and their profile across domains and years: the director, their appraiser or the
/// chair.
pub(crate) async fn profile_years(
    state: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(Director, Vec<YearProfile>)> {
    let d = load_director(state, id).await?;
    let rel = relation(state, user, &d).await?;
    if !rel.own && !rel.appraiser && !rel.chair {
        return Err(AppError::Forbidden(
            "a director's profile is seen by the director, their appraiser and the chair".into(),
        ));
    }
    let mut out = Vec::new();
    for a in state
        .store
        .board_appraisals(d.organisation_id, None)
        .await?
    {
        if a.director_id != id {
            continue;
        }
        let fw = framework(&a.framework_version)?;
        out.push(YearProfile {
            year: a.year,
            appraisal_id: a.id,
            complete: completeness(&fw, &a.ratings).complete(),
            profile: profile(&fw, &[&a.ratings]),
        });
    }
    Ok((d, out))
}
