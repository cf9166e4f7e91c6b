using System.Globalization;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// A live process's memory from /proc (Linux): resident (RSS) and proportional (PSS: each shared page divided among the
/// processes mapping it) in total, and the part of both in mappings of files under one folder.
/// </summary>
internal sealed record ProcessMemory(double RssMb, double PssMb, double FolderRssMb, double FolderPssMb)
{
    public static ProcessMemory Of(int pid, string folder)
    {
        var rollup = Fields(File.ReadLines($"/proc/{pid}/smaps_rollup"));
        var (folderRss, folderPss) = (0L, 0L);
        var inFolder = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                inFolder = line.Contains(folder, StringComparison.Ordinal);
            }
            else if (inFolder && Field(line) is ("Rss", var rss))
            {
                folderRss += rss;
            }
            else if (inFolder && Field(line) is ("Pss", var pss))
            {
                folderPss += pss;
            }
        }

        return new ProcessMemory(Mb(rollup["Rss"]), Mb(rollup["Pss"]), Mb(folderRss), Mb(folderPss));
    }

    private static double Mb(long kb) => kb / 1024.0;

    // "7f12a4000000-7f12a8000000 r--s 00000000 fd:01 1234   /path": an address range first, unlike "Rss:   12 kB".
    private static bool IsMappingHeader(string line) => line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Split(' ', 2)[0].Contains('-', StringComparison.Ordinal);

    private static Dictionary<string, long> Fields(IEnumerable<string> lines) =>
        lines.Select(Field).Where(f => f.Name is not null).GroupBy(f => f.Name!).ToDictionary(g => g.Key, g => g.First().Kb);

    private static (string? Name, long Kb) Field(string line)
    {
        var parts = line.Split(':', 2);
        if (parts.Length != 2 || !parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
        {
            return (null, 0);
        }

        return long.TryParse(parts[1].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? (parts[0], kb) : (null, 0);
    }
}
