//! GitHub: the one governance comment per pull request, posted or updated in place through
//! the REST API with octocrab, found again by a hidden marker.
//!
//! Everything here is synchronous to the rest of the program: a current-thread tokio runtime
//! lives only inside `Api`. Server errors and rate limits are retried with backoff; a
//! refusal (403/404, such as a fork's read-only token) is reported, not retried. The token is
//! never put in any message.

pub mod issues;

use http_body_util::{BodyExt, Limited};
use octocrab::Octocrab;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// The hidden marker that identifies our comment among everyone else's.
pub const MARKER: &str = "<!-- assure:governance-summary -->";

/// GitHub's limit on a comment's body.
pub const MAX_COMMENT: usize = 65_536;

/// How posting went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    Created(u64),
    Updated(u64),
    /// Our comment already says exactly this.
    Unchanged(u64),
}

/// Why the comment could not be posted. The token is never part of any message.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    /// GitHub refused (401, 403 or 404): typically a pull request from a fork, whose token
    /// is read-only, or a workflow without `pull-requests: write`.
    #[error(
        "GitHub refused to let this workflow comment ({status}: {message}); a pull request from a fork \
         gets a read-only token, and the workflow needs `permissions: pull-requests: write`"
    )]
    Refused { status: u16, message: String },
    /// Server errors, rate limits or the network, still failing after the retries.
    #[error("the comment could not be posted: {message}")]
    Failed {
        message: String,
        /// The HTTP status GitHub answered with, when it answered one (a 422: a value it
        /// would not take).
        status: Option<u16>,
        /// What the HTTP client or the parser said, kept for debugging, never shown.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The step was not given what it needs to comment (a token, the repository).
    #[error("{0}; pass `github-token` to the action, or set GITHUB_TOKEN for `assure ci`")]
    NotConfigured(String),
}

impl CommentError {
    fn failed(message: impl Into<String>) -> CommentError {
        CommentError::Failed {
            message: message.into(),
            status: None,
            source: None,
        }
    }

    fn failed_by(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> CommentError {
        CommentError::Failed {
            message: message.into(),
            status: None,
            source: Some(Box::new(source)),
        }
    }
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<User>,
}

#[derive(Deserialize)]
struct User {
    login: String,
}

impl Comment {
    /// Ours: it carries the marker and was written by `author`, the identity the token
    /// belongs to. Anyone can copy the marker into a comment of their own.
    fn is_ours(&self, author: &str) -> bool {
        self.body.as_deref().is_some_and(|b| b.contains(MARKER))
            && self
                .user
                .as_ref()
                .is_some_and(|u| u.login.eq_ignore_ascii_case(author))
    }
}

/// Most pages of comments read before giving up without posting: never a second comment.
const MAX_PAGES: usize = 100;

/// Largest response body read; anything larger is refused.
const MAX_BODY: usize = 16 * 1024 * 1024;

#[derive(Deserialize)]
struct Message {
    message: Option<String>,
}

/// How often and how patiently to retry, and how long anything may take.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    /// The first wait; each later one doubles.
    pub base: Duration,
    /// The longest a `retry-after` is honoured for.
    pub cap: Duration,
    /// The most one request may take, its whole body read.
    pub request: Duration,
    /// The most posting the comment may take, every request and wait included.
    pub step: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 4,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
            request: Duration::from_secs(30),
            step: Duration::from_secs(180),
        }
    }
}

impl Retry {
    /// The default, or with the first wait `base_ms` milliseconds and every other time
    /// scaled with it (the tests shorten them).
    pub fn with_base_ms(base_ms: Option<u64>) -> Retry {
        let mut retry = Retry::default();
        if let Some(ms) = base_ms {
            retry.base = Duration::from_millis(ms);
            retry.cap = Duration::from_millis(ms.saturating_mul(60));
            retry.request = Duration::from_millis(ms.saturating_mul(1000).max(1000));
            retry.step = Duration::from_millis(ms.saturating_mul(5000).max(5000));
        }
        retry
    }
}

/// Post or update the governance comment on pull request `number` of the repository the
/// step runs for, or say why not. Only a comment by `author` (the identity the token belongs
/// to) is ever edited. What went wrong short of failing comes back as warnings.
pub fn comment(
    github: &crate::environment::GitHub,
    retry: Retry,
    number: u64,
    body: &str,
    author: &str,
) -> Result<(Posted, Vec<String>), CommentError> {
    let refused = |what: &str| CommentError::NotConfigured(what.to_owned());
    let token = github
        .token
        .as_deref()
        .ok_or_else(|| refused("no GITHUB_TOKEN was given to the step"))?;
    let repository = github
        .repository
        .as_deref()
        .ok_or_else(|| refused("GITHUB_REPOSITORY is not set"))?;
    Api::new(&github.api_url, token, repository, retry)?.upsert_comment(number, body, author)
}

/// The parts of a `pull_request` event payload we use.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub pull_request: PullRequestEvent,
}

#[derive(Debug, Deserialize)]
pub struct PullRequestEvent {
    pub number: u64,
    pub base: Ref,
    /// The branch the pull request proposes, when the payload says.
    #[serde(default)]
    pub head: Option<HeadRef>,
}

/// A pull request's head branch.
#[derive(Debug, Deserialize)]
pub struct HeadRef {
    #[serde(rename = "ref")]
    pub name: String,
    /// The repository the branch is in: another one for a pull request from a fork.
    #[serde(default)]
    pub repo: Option<HeadRepo>,
}

#[derive(Debug, Deserialize)]
pub struct HeadRepo {
    /// `owner/name`.
    pub full_name: String,
}

#[derive(Debug, Deserialize)]
pub struct Ref {
    pub sha: String,
}

/// Why the pull request's event payload gave no pull request.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("GITHUB_EVENT_PATH is not set, so the pull request is unknown; no comment was posted")]
    NoPath,
    #[error("the event payload {} could not be read ({source}); no comment was posted", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the event payload {} has no pull request number and base ({source}); no comment was posted", path.display())]
    NotAPullRequest {
        path: std::path::PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

impl Event {
    /// The pull request's number and base, from the event payload at `path`.
    pub fn read(path: Option<&std::path::Path>) -> Result<Event, EventError> {
        let path = path.ok_or(EventError::NoPath)?;
        let text = std::fs::read_to_string(path).map_err(|source| EventError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| EventError::NotAPullRequest {
            path: path.to_owned(),
            source,
        })
    }
}

/// A connection to one repository's API.
pub struct Api {
    client: Octocrab,
    runtime: tokio::runtime::Runtime,
    repository: String,
    retry: Retry,
    /// `GITHUB_API_URL`: a link to anywhere else is never followed, and never gets the token.
    origin: http::Uri,
}

struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: String,
}

impl Api {
    /// `api_url` is `GITHUB_API_URL` (`https://api.github.com`, or `https://HOST/api/v3` on
    /// GitHub Enterprise Server); `repository` is `owner/name`.
    pub fn new(
        api_url: &str,
        token: &str,
        repository: &str,
        retry: Retry,
    ) -> Result<Api, CommentError> {
        // octocrab takes any URI here and panics later on one without a scheme or host.
        let uri: http::Uri = api_url.parse().map_err(|e| {
            CommentError::failed_by(format!("GITHUB_API_URL `{api_url}` is not a URL"), e)
        })?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
            return Err(CommentError::failed(format!(
                "GITHUB_API_URL `{api_url}` is not an http(s) URL"
            )));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CommentError::failed_by("could not start the HTTP client", e))?;
        let client = {
            let _guard = runtime.enter();
            Octocrab::builder()
                .base_uri(api_url)
                .map_err(|e| {
                    CommentError::failed_by(format!("GITHUB_API_URL `{api_url}` is not a URL"), e)
                })?
                .personal_token(token.to_owned())
                // We retry ourselves, with backoff, and say what happened.
                .add_retry_config(octocrab::service::middleware::retry::RetryConfig::None)
                .set_connect_timeout(Some(Duration::from_secs(10)))
                .set_read_timeout(Some(Duration::from_secs(30)))
                .build()
                .map_err(|e| CommentError::failed_by("could not set up the HTTP client", e))?
        };
        Ok(Api {
            client,
            runtime,
            repository: repository.to_owned(),
            retry,
            origin: uri,
        })
    }

    /// The wait before retry number `attempt` (1, 2, …): the base, doubling.
    fn backoff(&self, attempt: u32) -> Duration {
        self.retry.base * 2u32.pow(attempt.saturating_sub(1).min(16))
    }

    /// One request. Rate limits are always retried (GitHub did nothing); server errors and
    /// network failures only when `idempotent`, since a failed POST may still have made its
    /// comment.
    async fn send(
        &self,
        method: http::Method,
        uri: &str,
        body: Option<&serde_json::Value>,
        idempotent: bool,
    ) -> Result<Reply, CommentError> {
        let mut last = String::new();
        for attempt in 0..self.retry.attempts {
            if attempt > 0 {
                tokio::time::sleep(self.backoff(attempt)).await;
            }
            // One deadline for the request and its whole body: a server that drips its answer
            // a byte at a time does not hold the step.
            let exchange = async {
                let response = match method {
                    http::Method::GET => self.client._get(uri).await,
                    http::Method::POST => self.client._post(uri, body).await,
                    _ => self.client._patch(uri, body).await,
                }
                .map_err(|e| Exchange::Unreachable(Box::new(e)))?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let bytes = Limited::new(response.into_body(), MAX_BODY)
                    .collect()
                    .await
                    .map_err(|_| Exchange::TooLarge)?
                    .to_bytes();
                Ok::<_, Exchange>((
                    status,
                    headers,
                    String::from_utf8_lossy(&bytes).into_owned(),
                ))
            };
            let (status, headers, text) =
                match tokio::time::timeout(self.retry.request, exchange).await {
                    Ok(Ok(answer)) => answer,
                    Ok(Err(Exchange::TooLarge)) => {
                        return Err(CommentError::failed(format!(
                            "GitHub sent an answer larger than {} MiB",
                            MAX_BODY / (1024 * 1024)
                        )));
                    }
                    Ok(Err(Exchange::Unreachable(_))) | Err(_) if idempotent => {
                        last = "GitHub could not be reached in time".to_owned();
                        continue;
                    }
                    Ok(Err(Exchange::Unreachable(e))) => {
                        return Err(CommentError::Failed {
                            message: "GitHub could not be reached".to_owned(),
                            status: None,
                            source: Some(e),
                        });
                    }
                    Err(_) => {
                        return Err(CommentError::failed(format!(
                            "GitHub did not answer within {} seconds",
                            self.retry.request.as_secs_f64()
                        )));
                    }
                };
            let message = serde_json::from_str::<Message>(&text)
                .ok()
                .and_then(|m| m.message)
                .unwrap_or_default();
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
            };
            let rate_limited = status == 429
                || (status == 403
                    && (header("retry-after").is_some()
                        || header("x-ratelimit-remaining") == Some(0)));
            if rate_limited {
                last = format!("rate limited by GitHub ({status}: {message})");
                if let Some(secs) = header("retry-after") {
                    let scaled = self.retry.base.mul_f64(secs as f64).min(self.retry.cap);
                    tokio::time::sleep(scaled).await;
                }
                continue;
            }
            if status >= 500 {
                last = format!("GitHub answered {status}");
                if idempotent {
                    continue;
                }
                return Err(CommentError::failed(last));
            }
            if matches!(status, 401 | 403 | 404) {
                return Err(CommentError::Refused { status, message });
            }
            if !(200..300).contains(&status) {
                return Err(CommentError::Failed {
                    message: format!("GitHub answered {status}: {message}"),
                    status: Some(status),
                    source: None,
                });
            }
            return Ok(Reply {
                status,
                headers,
                body: text,
            });
        }
        Err(CommentError::failed(format!(
            "{last}, after {} attempts",
            self.retry.attempts
        )))
    }

    /// Every comment on pull request `number`, following the `Link: rel="next"` pages while
    /// they stay on the API's own origin. A link elsewhere ends the listing with a warning;
    /// more than `MAX_PAGES` pages is an error, so that a comment is never posted twice.
    async fn comments(
        &self,
        number: u64,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<Comment>, CommentError> {
        let mut uri = format!(
            "/repos/{}/issues/{number}/comments?per_page=100",
            self.repository
        );
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let reply = self.send(http::Method::GET, &uri, None, true).await?;
            let page: Vec<Comment> = serde_json::from_str(&reply.body).map_err(|e| {
                CommentError::failed_by("GitHub sent comments that could not be read", e)
            })?;
            all.extend(page);
            match next_link(&reply.headers) {
                Some(next) if same_origin(&self.origin, &next) => uri = next,
                Some(next) => {
                    warnings.push(format!(
                        "GitHub's next page of comments is at {}, outside GITHUB_API_URL; it was not read",
                        next.split('?').next().unwrap_or(&next)
                    ));
                    return Ok(all);
                }
                None => return Ok(all),
            }
        }
        Err(CommentError::failed(format!(
            "the pull request has more than {MAX_PAGES} pages of comments; the comment was not posted, so as not to post it twice"
        )))
    }

    /// Post `body` as our comment on pull request `number`, or update ours (the one by
    /// `author` that carries the marker) in place, all within the step's deadline.
    pub fn upsert_comment(
        &self,
        number: u64,
        body: &str,
        author: &str,
    ) -> Result<(Posted, Vec<String>), CommentError> {
        let mut warnings = Vec::new();
        let upsert = self.upsert(number, body, author, &mut warnings);
        let posted = self
            .runtime
            .block_on(async { tokio::time::timeout(self.retry.step, upsert).await })
            .map_err(|_| {
                CommentError::failed(format!(
                    "posting took longer than {} seconds and was stopped",
                    self.retry.step.as_secs_f64()
                ))
            })??;
        Ok((posted, warnings))
    }

    async fn upsert(
        &self,
        number: u64,
        body: &str,
        author: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Posted, CommentError> {
        {
            let payload = json!({ "body": body });
            let mut failed_posts = 0;
            loop {
                let comments = self.comments(number, warnings).await?;
                let ours = comments.iter().find(|c| c.is_ours(author));
                match ours {
                    // A POST that seemed to fail had made it after all.
                    Some(c) if failed_posts > 0 => return Ok(Posted::Created(c.id)),
                    Some(c) if c.body.as_deref() == Some(body) => {
                        return Ok(Posted::Unchanged(c.id));
                    }
                    Some(c) => {
                        let uri = format!("/repos/{}/issues/comments/{}", self.repository, c.id);
                        self.send(http::Method::PATCH, &uri, Some(&payload), true)
                            .await?;
                        return Ok(Posted::Updated(c.id));
                    }
                    None => {
                        let uri = format!("/repos/{}/issues/{number}/comments", self.repository);
                        match self
                            .send(http::Method::POST, &uri, Some(&payload), false)
                            .await
                        {
                            Ok(reply) => {
                                let created: Comment =
                                    serde_json::from_str(&reply.body).map_err(|e| {
                                        CommentError::failed_by(
                                            format!(
                                                "GitHub answered {} without the new comment",
                                                reply.status
                                            ),
                                            e,
                                        )
                                    })?;
                                return Ok(Posted::Created(created.id));
                            }
                            // Look again before posting again: never a second comment.
                            Err(CommentError::Failed { .. })
                                if failed_posts + 1 < self.retry.attempts =>
                            {
                                failed_posts += 1;
                                tokio::time::sleep(self.backoff(failed_posts)).await;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
        }
    }
}

/// What went wrong with one exchange, short of an answer.
enum Exchange {
    Unreachable(Box<dyn std::error::Error + Send + Sync>),
    TooLarge,
}

/// Whether `link` is on the same origin (scheme, host and port) as the API, under its path.
fn same_origin(api: &http::Uri, link: &str) -> bool {
    let Ok(link) = link.parse::<http::Uri>() else {
        return false;
    };
    let base = api.path().trim_end_matches('/');
    link.scheme() == api.scheme()
        && link.authority() == api.authority()
        && link.path().starts_with(base)
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(headers: &http::HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, rel) = part.split_once(';')?;
        rel.contains("rel=\"next\"").then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GITHUB_API_URL without a scheme or host is refused, saying so, never a panic.
    #[test]
    fn an_api_url_that_is_not_one_is_refused() {
        for bad in ["notaurl", "api.github.com/v3", "ftp://example.com", ""] {
            let error = Api::new(bad, "t", "o/r", Retry::default())
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(error.to_string().contains("is not"), "{bad}: {error}");
        }
    }

    #[test]
    fn follows_the_next_link() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "link",
            "<https://api.github.com/repositories/1/issues/5/comments?page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues/5/comments?page=3>; rel=\"last\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/repositories/1/issues/5/comments?page=2")
        );
        headers.insert("link", "<https://x/?page=1>; rel=\"prev\"".parse().unwrap());
        assert_eq!(next_link(&headers), None);
    }
}
