//! Issues the tool keeps, one per key (a person's reminder), found again by a hidden marker
//! naming the key and by their author: updated in place, closed when nothing is left. Only
//! issues written by the token's identity are ever touched, as for the comment.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Api, CommentError, MAX_PAGES, next_link, same_origin};

/// One issue to keep open: `key` names it in its hidden marker.
#[derive(Debug, Clone)]
pub struct IssuePlan {
    pub key: String,
    pub title: String,
    /// The body, without the marker (added here).
    pub body: String,
    /// A GitHub login to assign it to.
    pub assignee: Option<String>,
}

/// What became of one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action", content = "number")]
pub enum IssueOutcome {
    Created(u64),
    Updated(u64),
    Unchanged(u64),
    /// Nothing is left for its key.
    Closed(u64),
}

/// What became of each issue, by key, and the warnings on the way.
pub type Synced = (Vec<(String, IssueOutcome)>, Vec<String>);

/// The hidden marker of the issue kept for `key`.
pub fn marker(key: &str) -> String {
    format!("<!-- assure:reminder {key} -->")
}

#[derive(Deserialize)]
struct Issue {
    number: u64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<super::User>,
    #[serde(default)]
    pull_request: Option<serde_json::Value>,
    #[serde(default)]
    assignees: Vec<super::User>,
}

impl Issue {
    /// The key of ours: written by `author`, carrying a marker, not a pull request.
    fn key(&self, author: &str) -> Option<String> {
        if self.pull_request.is_some()
            || !self
                .user
                .as_ref()
                .is_some_and(|u| u.login.eq_ignore_ascii_case(author))
        {
            return None;
        }
        let body = self.body.as_deref()?;
        let start = body.find("<!-- assure:reminder ")? + "<!-- assure:reminder ".len();
        let end = body[start..].find(" -->")?;
        Some(body[start..start + end].to_owned())
    }
}

impl Api {
    /// Make the open issues labelled `label` and written by `author` match `plans`: create
    /// what is missing, update what differs, close ours whose key has no plan (with
    /// `closing` as its last word). Within the step's deadline.
    pub fn sync_issues(
        &self,
        plans: &[IssuePlan],
        label: &str,
        author: &str,
        closing: &str,
    ) -> Result<Synced, CommentError> {
        let mut warnings = Vec::new();
        let work = self.sync(plans, label, author, closing, &mut warnings);
        let outcomes = self
            .runtime
            .block_on(async { tokio::time::timeout(self.retry.step, work).await })
            .map_err(|_| {
                CommentError::failed(format!(
                    "updating the reminders took longer than {} seconds and was stopped",
                    self.retry.step.as_secs_f64()
                ))
            })??;
        Ok((outcomes, warnings))
    }

    async fn sync(
        &self,
        plans: &[IssuePlan],
        label: &str,
        author: &str,
        closing: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<(String, IssueOutcome)>, CommentError> {
        let existing = self.issues(label, author, warnings).await?;
        let mut out = Vec::new();
        for plan in plans {
            let body = format!("{}\n{}", marker(&plan.key), plan.body);
            let assignees: Vec<&str> = plan.assignee.iter().map(String::as_str).collect();
            let ours = existing
                .iter()
                .find(|(k, _)| *k == plan.key)
                .map(|(_, i)| i);
            let outcome = match ours {
                Some(issue)
                    if issue.title == plan.title
                        && issue.body.as_deref() == Some(body.as_str())
                        && (assignees.is_empty()
                            || issue.assignees.iter().any(|a| {
                                assignees.iter().any(|b| a.login.eq_ignore_ascii_case(b))
                            })) =>
                {
                    IssueOutcome::Unchanged(issue.number)
                }
                Some(issue) => {
                    let uri = format!("/repos/{}/issues/{}", self.repository, issue.number);
                    let mut payload = json!({ "title": plan.title, "body": body });
                    if !assignees.is_empty() {
                        payload["assignees"] = json!(assignees);
                    }
                    match self
                        .send(http::Method::PATCH, &uri, Some(&payload), true)
                        .await
                    {
                        Ok(_) => {}
                        Err(e) if is_invalid(&e) && !assignees.is_empty() => {
                            warnings.push(unassignable(&assignees));
                            let payload = json!({ "title": plan.title, "body": body });
                            self.send(http::Method::PATCH, &uri, Some(&payload), true)
                                .await?;
                        }
                        Err(e) => return Err(e),
                    }
                    IssueOutcome::Updated(issue.number)
                }
                None => {
                    let mut payload =
                        json!({ "title": plan.title, "body": body, "labels": [label] });
                    if !assignees.is_empty() {
                        payload["assignees"] = json!(assignees);
                    }
                    let number = self
                        .create(&plan.key, payload, label, author, warnings)
                        .await?;
                    IssueOutcome::Created(number)
                }
            };
            out.push((plan.key.clone(), outcome));
        }
        for (key, issue) in &existing {
            if plans.iter().any(|p| p.key == *key) {
                continue;
            }
            let uri = format!("/repos/{}/issues/{}", self.repository, issue.number);
            let body = format!("{}\n{closing}", marker(key));
            let payload = json!({ "state": "closed", "state_reason": "completed", "body": body });
            self.send(http::Method::PATCH, &uri, Some(&payload), true)
                .await?;
            out.push((key.clone(), IssueOutcome::Closed(issue.number)));
        }
        Ok(out)
    }

    /// Open the issue for `key`, as the comment is posted: a POST that fails is retried only
    /// after looking again, so that one which made the issue after all is not made twice.
    /// An assignee GitHub will not take is dropped, with a warning.
    async fn create(
        &self,
        key: &str,
        mut payload: serde_json::Value,
        label: &str,
        author: &str,
        warnings: &mut Vec<String>,
    ) -> Result<u64, CommentError> {
        let uri = format!("/repos/{}/issues", self.repository);
        let mut failed_posts = 0;
        loop {
            match self
                .send(http::Method::POST, &uri, Some(&payload), false)
                .await
            {
                Ok(reply) => {
                    let created: Issue = serde_json::from_str(&reply.body).map_err(|e| {
                        CommentError::failed_by("GitHub answered without the new issue", e)
                    })?;
                    return Ok(created.number);
                }
                Err(e) if is_invalid(&e) && payload.get("assignees").is_some() => {
                    let logins: Vec<String> = payload["assignees"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str().map(str::to_owned))
                        .collect();
                    let logins: Vec<&str> = logins.iter().map(String::as_str).collect();
                    warnings.push(unassignable(&logins));
                    payload.as_object_mut().map(|p| p.remove("assignees"));
                }
                Err(CommentError::Failed { .. }) if failed_posts + 1 < self.retry.attempts => {
                    failed_posts += 1;
                    tokio::time::sleep(self.backoff(failed_posts)).await;
                    // A POST that seemed to fail may have made the issue after all.
                    let existing = self.issues(label, author, warnings).await?;
                    if let Some((_, issue)) = existing.iter().find(|(k, _)| k == key) {
                        return Ok(issue.number);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Our open issues labelled `label`, by key, following `Link` pages on the API's origin.
    async fn issues(
        &self,
        label: &str,
        author: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<(String, Issue)>, CommentError> {
        let mut uri = format!(
            "/repos/{}/issues?state=open&labels={}&creator={}&per_page=100",
            self.repository,
            crate::git::percent_encode(label, false),
            crate::git::percent_encode(author, false)
        );
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let reply = self.send(http::Method::GET, &uri, None, true).await?;
            let page: Vec<Issue> = serde_json::from_str(&reply.body).map_err(|e| {
                CommentError::failed_by("GitHub sent issues that could not be read", e)
            })?;
            out.extend(page.into_iter().filter_map(|i| Some((i.key(author)?, i))));
            match next_link(&reply.headers) {
                Some(next) if same_origin(&self.origin, &next) => uri = next,
                Some(_) => {
                    warnings.push(
                        "GitHub's next page of issues is outside GITHUB_API_URL; it was not read"
                            .to_owned(),
                    );
                    return Ok(out);
                }
                None => return Ok(out),
            }
        }
        Err(CommentError::failed(format!(
            "there are more than {MAX_PAGES} pages of reminder issues; nothing more was changed"
        )))
    }
}

/// GitHub's 422: a value it will not take (here, an assignee who cannot be assigned).
fn is_invalid(e: &CommentError) -> bool {
    matches!(
        e,
        CommentError::Failed {
            status: Some(422),
            ..
        }
    )
}

fn unassignable(logins: &[&str]) -> String {
    format!(
        "GitHub would not assign {}: they may not have access to this repository; the reminder is posted unassigned",
        logins.join(", ")
    )
}
