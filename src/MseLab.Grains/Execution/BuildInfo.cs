using System.Diagnostics;

namespace MseLab.Grains.Execution;

/// <summary>The git commit and dirty flag of the working folder, read once per process (null outside a git checkout).</summary>
public static class BuildInfo
{
    private static readonly Lazy<(string? Commit, bool Dirty)> Git = new(Read);

    public static string? Commit => Git.Value.Commit;

    public static bool Dirty => Git.Value.Dirty;

    private static (string? Commit, bool Dirty) Read()
    {
        var commit = RunGit("rev-parse HEAD");
        return commit is null ? (null, false) : (commit, !string.IsNullOrWhiteSpace(RunGit("status --porcelain --untracked-files=no")));
    }

    private static string? RunGit(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // no git on this machine
        }
    }
}
