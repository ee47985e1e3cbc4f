//! The process environment `assure` reads, read once, in one place: colour preferences, the
//! terminal, and what GitHub Actions tells a step. Nothing else reads environment variables
//! (clap reads the `ASSURE_*` defaults of flags it documents).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

/// What the environment says.
#[derive(Clone, Default)]
pub struct Environment {
    /// `NO_COLOR` is set.
    pub no_color: bool,
    /// Standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// Standard error is a terminal (for progress lines).
    pub stderr_is_terminal: bool,
    pub github: GitHub,
    /// `ASSURE_RETRY_BASE_MS`: the first wait between retries of the GitHub API (the tests
    /// shorten it).
    pub retry_base_ms: Option<u64>,
}

/// What GitHub Actions tells a step. Not `Debug`: it holds the token.
#[derive(Clone, Default)]
pub struct GitHub {
    /// `GITHUB_ACTIONS=true`: workflow commands are understood.
    pub on_github: bool,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub runner_temp: Option<PathBuf>,
    pub event_name: Option<String>,
    pub event_path: Option<PathBuf>,
    /// `GITHUB_API_URL`, else the public API.
    pub api_url: String,
    pub repository: Option<String>,
    pub token: Option<String>,
    pub server_url: Option<String>,
    pub run_id: Option<String>,
    /// The commit checked out.
    pub sha: Option<String>,
    /// The branch or tag the workflow runs on (`GITHUB_REF_NAME`).
    pub ref_name: Option<String>,
    /// Where the workflow's files are (`GITHUB_WORKSPACE`).
    pub workspace: Option<PathBuf>,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub")
            .field("on_github", &self.on_github)
            .field("repository", &self.repository)
            .field("token", &self.token.as_ref().map(|_| "(hidden)"))
            .finish_non_exhaustive()
    }
}

impl Environment {
    /// Read this process's environment.
    pub fn from_process() -> Environment {
        let mut env = Environment::from_vars(|name| std::env::var_os(name));
        env.stdout_is_terminal = std::io::stdout().is_terminal();
        env.stderr_is_terminal = std::io::stderr().is_terminal();
        env
    }

    /// Read the variables `var` gives; no terminal. `NO_COLOR` counts when it is set at
    /// all; any other variable that is empty counts as unset, and one that is not UTF-8 too,
    /// unless it names a file.
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Environment {
        let path = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let text = |name: &str| {
            var(name)
                .and_then(|v| v.into_string().ok())
                .filter(|v| !v.is_empty())
        };
        Environment {
            no_color: var("NO_COLOR").is_some(),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            retry_base_ms: text("ASSURE_RETRY_BASE_MS").and_then(|v| v.parse().ok()),
            github: GitHub {
                on_github: text("GITHUB_ACTIONS").as_deref() == Some("true"),
                step_summary: path("GITHUB_STEP_SUMMARY"),
                output: path("GITHUB_OUTPUT"),
                runner_temp: path("RUNNER_TEMP"),
                event_name: text("GITHUB_EVENT_NAME"),
                event_path: path("GITHUB_EVENT_PATH"),
                api_url: text("GITHUB_API_URL")
                    .unwrap_or_else(|| "https://api.github.com".to_owned()),
                repository: text("GITHUB_REPOSITORY"),
                token: text("GITHUB_TOKEN"),
                server_url: text("GITHUB_SERVER_URL"),
                run_id: text("GITHUB_RUN_ID"),
                sha: text("GITHUB_SHA"),
                ref_name: text("GITHUB_REF_NAME"),
                workspace: path("GITHUB_WORKSPACE"),
            },
        }
    }
}

impl GitHub {
    /// A `pull_request` (or `pull_request_target`) run.
    pub fn is_pull_request(&self) -> bool {
        matches!(
            self.event_name.as_deref(),
            Some("pull_request" | "pull_request_target")
        )
    }

    /// A link to this workflow run, for the comment's footer.
    pub fn run_url(&self) -> Option<String> {
        match (&self.server_url, &self.repository, &self.run_id) {
            (Some(server), Some(repo), Some(run)) => {
                Some(format!("{server}/{repo}/actions/runs/{run}"))
            }
            _ => None,
        }
    }

    /// The server, repository and commit checked out, to link each finding to its file.
    pub fn source(&self) -> Option<(&str, &str, &str)> {
        match (&self.server_url, &self.repository, &self.sha) {
            (Some(server), Some(repo), Some(sha)) => Some((server, repo, sha)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_variables_count_as_unset_and_the_token_is_never_shown() {
        let env = Environment::from_vars(|name| {
            let value = match name {
                "GITHUB_ACTIONS" => Some("true".to_owned()),
                "GITHUB_TOKEN" => Some("ghs_secret".to_owned()),
                "GITHUB_REPOSITORY" => Some(String::new()),
                "GITHUB_SERVER_URL" => Some("https://github.com".to_owned()),
                "GITHUB_RUN_ID" => Some("7".to_owned()),
                "ASSURE_RETRY_BASE_MS" => Some("5".to_owned()),
                _ => None,
            };
            value.map(OsString::from)
        });
        assert!(env.github.on_github && !env.no_color);
        assert_eq!(env.github.repository, None);
        assert_eq!(env.github.api_url, "https://api.github.com");
        assert_eq!(env.github.run_url(), None);
        assert_eq!(env.retry_base_ms, Some(5));
        assert!(!format!("{:?}", env.github).contains("ghs_secret"));
    }

    /// no-color.org: set at all, even empty, means no colour.
    #[test]
    fn no_color_counts_when_set_even_empty() {
        let env = Environment::from_vars(|name| (name == "NO_COLOR").then(OsString::new));
        assert!(env.no_color);
        assert!(!Environment::from_vars(|_| None).no_color);
    }
}
