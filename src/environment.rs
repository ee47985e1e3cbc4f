//! The process environment `assure` reads, read once, in one place: colour preferences, the
//! terminal, and what GitHub Actions tells a step. Nothing else reads environment variables
//! (clap reads the `ASSURE_*` defaults of flags it documents).

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
        let mut env = Environment::from_vars(|name| std::env::var(name).ok());
        env.stdout_is_terminal = std::io::stdout().is_terminal();
        env.stderr_is_terminal = std::io::stderr().is_terminal();
        env
    }

    /// Read the variables `var` gives (empty values count as unset); no terminal.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Environment {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        Environment {
            no_color: var("NO_COLOR").is_some(),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            retry_base_ms: var("ASSURE_RETRY_BASE_MS").and_then(|v| v.parse().ok()),
            github: GitHub {
                on_github: var("GITHUB_ACTIONS").as_deref() == Some("true"),
                step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
                output: var("GITHUB_OUTPUT").map(PathBuf::from),
                runner_temp: var("RUNNER_TEMP").map(PathBuf::from),
                event_name: var("GITHUB_EVENT_NAME"),
                event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
                api_url: var("GITHUB_API_URL")
                    .unwrap_or_else(|| "https://api.github.com".to_owned()),
                repository: var("GITHUB_REPOSITORY"),
                token: var("GITHUB_TOKEN"),
                server_url: var("GITHUB_SERVER_URL"),
                run_id: var("GITHUB_RUN_ID"),
                sha: var("GITHUB_SHA"),
                workspace: var("GITHUB_WORKSPACE").map(PathBuf::from),
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
        let env = Environment::from_vars(|name| match name {
            "GITHUB_ACTIONS" => Some("true".to_owned()),
            "GITHUB_TOKEN" => Some("ghs_secret".to_owned()),
            "GITHUB_REPOSITORY" => Some(String::new()),
            "GITHUB_SERVER_URL" => Some("https://github.com".to_owned()),
            "GITHUB_RUN_ID" => Some("7".to_owned()),
            "ASSURE_RETRY_BASE_MS" => Some("5".to_owned()),
            _ => None,
        });
        assert!(env.github.on_github && !env.no_color);
        assert_eq!(env.github.repository, None);
        assert_eq!(env.github.api_url, "https://api.github.com");
        assert_eq!(env.github.run_url(), None);
        assert_eq!(env.retry_base_ms, Some(5));
        assert!(!format!("{:?}", env.github).contains("ghs_secret"));
    }
}
