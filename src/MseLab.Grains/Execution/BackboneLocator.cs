using MseLab.Training.TinyBackbone;

namespace MseLab.Grains.Execution;

/// <summary>Turns a sweep's backbone into a folder: the preset <c>tiny</c> is created in the models folder on first use.</summary>
public static class BackboneLocator
{
    public const string TinyPreset = "tiny";

    private static readonly Lock Gate = new();

    public static string TinyDirectory(string modelsDirectory) => Path.GetFullPath(Path.Combine(modelsDirectory, "tiny-llama"));

    public static string Resolve(string backbone, string modelsDirectory)
    {
        if (!string.Equals(backbone, TinyPreset, StringComparison.OrdinalIgnoreCase))
        {
            return backbone;
        }

        var directory = TinyDirectory(modelsDirectory);
        lock (Gate)
        {
            if (!File.Exists(Path.Combine(directory, "config.json")))
            {
                // Another worker process on this machine may be creating it: the lock file serialises them.
                Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
                using var fileLock = AcquireFileLock(directory + ".lock");
                if (!File.Exists(Path.Combine(directory, "config.json")))
                {
                    TinyBackboneFactory.Create(directory, new TinyBackboneOptions());
                }
            }
        }

        return directory;
    }

    private static FileStream AcquireFileLock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(500);
            }
        }
    }
}
