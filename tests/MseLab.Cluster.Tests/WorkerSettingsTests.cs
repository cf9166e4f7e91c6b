using Microsoft.Extensions.Configuration;
using MseLab.Grains;
using MseLab.Worker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cluster.Tests;

/// <summary>The mselab-worker command line as parsed, validated and turned into the Worker options.</summary>
public sealed class WorkerSettingsTests
{
    [Fact]
    public void TrialsPerDevice_Flag_BecomesTheWorkerOption()
    {
        var (exit, settings, _) = Run("--devices", "cuda:0=80,cuda:1=80", "--trials-per-device", "3");

        Assert.Equal(0, exit);
        var options = Bind(settings!);
        Assert.Equal(3, options.TrialsPerDevice);
        Assert.Equal(["cuda:0=80", "cuda:1=80"], options.Devices);
    }

    [Fact]
    public void TrialsPerDevice_Omitted_LeavesTheDefaultOfOne()
    {
        var (exit, settings, _) = Run("--devices", "cuda:0=80");

        Assert.Equal(0, exit);
        Assert.DoesNotContain(settings!.Configuration().Keys, k => k.EndsWith(nameof(WorkerOptions.TrialsPerDevice), StringComparison.Ordinal));
        Assert.Equal(1, Bind(settings).TrialsPerDevice);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void TrialsPerDevice_BelowOne_IsRefused(string value)
    {
        var (exit, settings, output) = Run("--trials-per-device", value);

        Assert.NotEqual(0, exit);
        Assert.Null(settings);
        Assert.Contains("--trials-per-device must be at least 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BackboneRoot_Repeated_BecomesAbsoluteWorkerOptions()
    {
        var (exit, settings, _) = Run("--backbone-root", "/srv/models", "--backbone-root", "relative/models");

        Assert.Equal(0, exit);
        var options = Bind(settings!);
        Assert.Equal(["/srv/models", Path.GetFullPath("relative/models")], options.BackboneRoots);
        Assert.Empty(options.Validate(new(options)));
    }

    [Fact]
    public void BackboneRoots_RelativeInConfiguration_IsRefusedNamingTheKey()
    {
        var options = new WorkerOptions { BackboneRoots = ["models"] };

        var error = Assert.Single(options.Validate(new(options)));

        Assert.StartsWith("Worker:BackboneRoots: 'models' is not an absolute folder", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(86_401)]
    [InlineData(-86_401)]
    [InlineData(double.NaN)]
    public void ClockOffset_BeyondADay_IsRefusedNamingTheKey(double seconds)
    {
        var options = new WorkerOptions { ClockOffsetSeconds = seconds };

        var error = Assert.Single(options.Validate(new(options)));

        Assert.StartsWith("Worker:ClockOffsetSeconds must be within +-86400 seconds", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ClockOffset_FromConfiguration_ShiftsTheWallClockOnly()
    {
        var options = new WorkerOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:ClockOffsetSeconds"] = "-300" }).Build()
            .GetSection(WorkerOptions.SectionName).Bind(options);
        var shifted = new ShiftedTimeProvider(TimeProvider.System, options.ClockOffset);

        var wallGap = shifted.GetUtcNow() - TimeProvider.System.GetUtcNow();
        var elapsedGap = TimeProvider.System.GetElapsedTime(shifted.GetTimestamp());

        Assert.Empty(options.Validate(new(options)));
        Assert.InRange(wallGap, TimeSpan.FromSeconds(-301), TimeSpan.FromSeconds(-299));
        Assert.InRange(elapsedGap, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Help_DescribesTrialsPerDevice()
    {
        var (_, _, output) = Run("--help");
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");   // the help wraps descriptions

        Assert.Contains("--trials-per-device <N>", text, StringComparison.Ordinal);
        Assert.Contains("Trials each device runs at once, sharing one copy of the backbone (default 1)", text, StringComparison.Ordinal);
    }

    private static WorkerOptions Bind(WorkerSettings settings)
    {
        var options = new WorkerOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings.Configuration()).Build().GetSection(WorkerOptions.SectionName).Bind(options);
        return options;
    }

    // The worker's own settings under a command that only keeps them; the console is the test's.
    private static (int Exit, WorkerSettings? Settings, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var app = new CommandApp<Capture>();
        app.Configure(config =>
        {
            config.SetApplicationName("mselab-worker");
            config.ConfigureConsole(console);
        });
        Capture.Seen = null;
        var exit = app.Run(args);
        return (exit, Capture.Seen, output.ToString());
    }

    private sealed class Capture : Command<WorkerSettings>
    {
        // The tests of a class run one at a time.
        public static WorkerSettings? Seen { get; set; }

        public override int Execute(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
        {
            Seen = settings;
            return 0;
        }
    }
}
