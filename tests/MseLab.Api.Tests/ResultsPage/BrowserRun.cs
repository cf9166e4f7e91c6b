using System.Text.Json;
using MseLab.TestSupport;

namespace MseLab.Api.Tests.ResultsPage;

/// <summary>
/// Runs tests/tools/results-page.mjs (playwright-core driving Debian's /usr/bin/chromium) and parses what it printed.
/// Screenshots go to <c>artifacts/test-results/results-page/</c> under the repository and are kept after the run.
/// </summary>
internal static class BrowserRun
{
    public static string ArtifactsDirectory()
    {
        var directory = Path.Combine(TestTools.RepositoryRoot, "artifacts", "test-results", "results-page");
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static JsonElement Run(string baseUrl, string prefix, params string[] args) => RunScript("results-page.mjs", baseUrl, prefix, args);

    /// <summary>Runs another page script of tests/tools with the same arguments' shape (BASE-URL OUT-PREFIX ...).</summary>
    public static JsonElement RunScript(string script, string baseUrl, string prefix, params string[] args)
    {
        var tools = TestTools.Folder;
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "playwright-core")) || !File.Exists("/usr/bin/chromium"))
        {
            throw new InvalidOperationException("The results page test needs Debian's chromium and playwright-core: `apt-get install chromium` and `npm ci --prefix tests/tools` (scripts/test.sh does both).");
        }

        var run = ChildProcess.Run("node", [Path.Combine(tools, script), baseUrl, prefix, .. args], timeout: TimeSpan.FromMinutes(3), workingDirectory: tools);
        var json = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return run.ExitCode == 0
            ? JsonDocument.Parse(json).RootElement.Clone()
            : throw new InvalidOperationException($"{script} failed ({run.ExitCode}): {run.StandardOutput}{run.StandardError}");
    }
}
