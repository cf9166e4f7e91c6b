using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Infrastructure;

/// <summary>Runs the real mselab program (built next to the tests through the project reference) and Python references.</summary>
public static class ProcessRunner
{
    public static string MselabPath => Path.Combine(AppContext.BaseDirectory, "mselab");

    public static ProcessResult Mselab(params string[] args) => ChildProcess.Run(MselabPath, args);

    /// <summary>Runs mselab in <paramref name="workingDirectory"/> (sweep commands keep their store in ./.mselab).</summary>
    public static ProcessResult MselabIn(string workingDirectory, params string[] args) =>
        ChildProcess.Run(MselabPath, args, timeout: TimeSpan.FromMinutes(5), workingDirectory: workingDirectory);

    public static ProcessResult PythonScript(string script, params string[] args) =>
        ChildProcess.Run(ChildProcess.Python, [Path.Combine(AppContext.BaseDirectory, "Reference", script), .. args]);

    public static ProcessResult Run(string fileName, IEnumerable<string> args) => ChildProcess.Run(fileName, args);
}
