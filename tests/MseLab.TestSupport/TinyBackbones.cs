using MseLab.Training.TinyBackbone;

namespace MseLab.TestSupport;

/// <summary>
/// One pretrained tiny backbone for all test assemblies of one build: kept in the temp folder under the build's
/// module version id, so a rebuilt factory never reuses a stale model, and created atomically (temp folder, rename).
/// </summary>
public static class TinyBackbones
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        var build = typeof(TinyBackboneFactory).Assembly.ManifestModule.ModuleVersionId;
        var dir = Path.Combine(Path.GetTempPath(), $"mselab-test-tiny-{build:N}");
        if (!File.Exists(Path.Combine(dir, "config.json")))
        {
            var temp = $"{dir}.{Environment.ProcessId}.tmp";
            TinyBackboneFactory.Create(temp, new TinyBackboneOptions());
            try
            {
                System.IO.Directory.Move(temp, dir);
            }
            catch (IOException) when (File.Exists(Path.Combine(dir, "config.json")))
            {
                // Another test process finished first; its model is identical (same build, same seed).
                System.IO.Directory.Delete(temp, recursive: true);
            }
        }

        return dir;
    });

    /// <summary>Directory of the shared tiny backbone (HF layout).</summary>
    public static string Directory => Shared.Value;
}
