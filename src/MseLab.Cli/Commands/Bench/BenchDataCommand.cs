using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench data</c>: on a generated MOSEI-shaped MMSA pickle, Python's pickle.load (the anchor) against the
/// dataset cache: prepare throughput, hash time, open time, and the memory of 4 concurrent readers against one.
/// </summary>
internal sealed class BenchDataCommand : Command<BenchDataCommand.Settings>
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--size-gb <GB>")]
        [Description("Size of the generated pickle (T=500, widths 74/35, BERT text features, protocol 4, as the real MOSEI file). Default 1.")]
        [DefaultValue(1.0)]
        public double SizeGb { get; init; } = 1.0;

        [CommandOption("--json")]
        [Description("Print the figures as JSON.")]
        public bool Json { get; init; }

        [CommandOption("--keep <DIR>")]
        [Description("Work in DIR and keep it (the pickle is reused when DIR already has one); default: a temporary folder, removed.")]
        public string? Keep { get; init; }

        [CommandOption("--reader-root <ROOT>", IsHidden = true)]
        [Description("Internal: run as one reader process over ROOT (started by the benchmark itself).")]
        public string? ReaderRoot { get; init; }

        [CommandOption("--reader-cache <DIR>", IsHidden = true)]
        [Description("Internal: the cache folder of a reader process.")]
        public string? ReaderCache { get; init; }

        public override ValidationResult Validate() =>
            SizeGb is > 0 and <= 64 ? ValidationResult.Success() : ValidationResult.Error($"--size-gb must be in (0, 64], not {SizeGb}.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.ReaderRoot is { } readerRoot)
        {
            return DataBenchmark.Reader(readerRoot, settings.ReaderCache ?? throw new ArgumentException("--reader-root needs --reader-cache."));
        }

        var work = settings.Keep is { } keep ? Path.GetFullPath(keep) : Path.Combine(Path.GetTempPath(), $"mselab-bench-data-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var figures = DataBenchmark.Run(work, settings.SizeGb, line => Console.Error.WriteLine(line), cancellationToken);
            if (settings.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(figures, Json));
            }
            else
            {
                Print(figures);
            }

            return figures.OpenWithinTarget && figures.SharingWithinTarget ? 0 : 1;
        }
        finally
        {
            if (settings.Keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static void Print(DataBenchFigures f)
    {
        static string N(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
        static string Met(bool met) => met ? " [green]met[/]" : " [red]missed[/]";
        var table = new Table()
            .Title(string.Create(CultureInfo.InvariantCulture, $"dataset cache: MOSEI-shaped pickle, {f.SourceMb:F0} MB, {f.Samples} samples (ratios against pickle.load in this run)"))
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("Python pickle.load, median of 3 (s)", N(f.PythonLoadSeconds, "F2"));
        table.AddRow("  throughput (MB/s of the file)", N(f.PythonLoadMbPerS, "F0"));
        table.AddRow("  peak RSS of one loading process (MB)", N(f.PythonPeakRssMb, "F0"));
        table.AddRow("hash, SHA-256, first time (s)", N(f.HashSeconds, "F2"));
        table.AddRow("  throughput (MB/s)", N(f.HashMbPerS, "F0"));
        table.AddRow("prepare, cold: hash + read + write + fsync (s)", N(f.PrepareSeconds, "F2"));
        table.AddRow("  throughput (MB/s of the file)", N(f.PrepareMbPerS, "F0"));
        table.AddRow("  of which read + write + fsync: prepare minus the hash (s)", N(f.PrepareSeconds - f.HashSeconds, "F2"));
        table.AddRow("  pickle.load time / prepare time", N(f.PrepareVsPickleLoad, "F2"));
        table.AddRow("cache folder (MB)", N(f.CacheMb, "F0"));
        table.AddRow("open from the cache, fresh process, median (s)", N(f.ReaderOpenSeconds, "F3") + Met(f.OpenWithinTarget) + " (target < 1 s)");
        table.AddRow("  pickle.load time / open time", N(f.OpenVsPickleLoad, "F2"));
        table.AddRow("  open again in the preparing process (s)", N(f.OpenSecondsInProcess, "F3"));
        table.AddRow("  process start to every value read, median (s)", N(f.ReaderReadySeconds, "F2"));
        table.AddRow("1 reader: RSS / PSS (MB)", $"{N(f.OneReader.RssMb, "F0")} / {N(f.OneReader.PssMb, "F0")}");
        table.AddRow("  of which the mapped cache: RSS / PSS (MB)", $"{N(f.OneReader.FolderRssMb, "F0")} / {N(f.OneReader.FolderPssMb, "F0")}");
        table.AddRow("4 concurrent readers: sum of RSS / PSS (MB)", $"{N(f.FourReaders.Sum(r => r.RssMb), "F0")} / {N(f.FourReaders.Sum(r => r.PssMb), "F0")}");
        table.AddRow("  of which the mapped cache: sum of RSS / PSS (MB)", $"{N(f.FourReaders.Sum(r => r.FolderRssMb), "F0")} / {N(f.FourReaders.Sum(r => r.FolderPssMb), "F0")}");
        table.AddRow("  4 vs 1: RSS / PSS", $"{N(f.FourVsOneRss, "F2")} / {N(f.FourVsOnePss, "F2")}");
        table.AddRow("  4 vs 1: PSS of the mapped cache (target <= 1.1)", N(f.FourVsOneCachePss, "F2") + Met(f.SharingWithinTarget));
        table.AddRow("4 processes each pickle.load-ing instead: 4 x peak RSS (MB)", N(4 * f.PythonPeakRssMb, "F0"));
        AnsiConsole.Write(table);
    }
}
