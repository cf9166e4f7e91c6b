using MseLab.Training.TinyBackbone;

namespace MseLab.TestSupport;

/// <summary>One pretrained tiny backbone per test process, created on first use in a temporary folder.</summary>
public static class TinyBackbones
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mselab-tiny-{Environment.ProcessId}");
        if (!File.Exists(Path.Combine(dir, "config.json")))
        {
            TinyBackboneFactory.Create(dir, new TinyBackboneOptions());
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(dir);
        return dir;
    });

    /// <summary>Directory of the shared tiny backbone (HF layout).</summary>
    public static string Directory => Shared.Value;

    private static void TryDelete(string dir)
    {
        try
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at exit.
        }
    }
}
