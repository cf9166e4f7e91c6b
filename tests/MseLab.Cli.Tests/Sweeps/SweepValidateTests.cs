using System.Text;
using MseLab.Cli.Tests.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary><c>mselab sweep validate FILE</c>: exit 0 and a count when valid, exit 2 with every error as file:line:column otherwise, never a stack trace.</summary>
public sealed class SweepValidateTests : IDisposable
{
    private static readonly string Quickstart = Path.Combine(AppContext.BaseDirectory, "experiments", "quickstart.yaml");

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-validate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Validate_Quickstart_ExitsZeroCountsCellsAndStoresNothing()
    {
        var run = ProcessRunner.MselabIn(_folder, "sweep", "validate", Quickstart);

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("valid", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("12 cell(s) in 4 seed group(s)", run.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".mselab")));
    }

    [Fact]
    public void Validate_UnclosedBracket_ExitsTwoWithThePositionAndNoStackTrace()
    {
        var file = Path.Combine(_folder, "broken.yaml");
        File.WriteAllText(file, "name: x\nbackbones: [tiny\ndatasets: [synthetic:mosei]\nseeds: [1]\n");

        var run = ProcessRunner.MselabIn(_folder, "sweep", "validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"broken\.yaml:\d+:\d+: not valid YAML", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".mselab")));
    }

    [Fact]
    public void Validate_ManyErrors_EveryOneWithFileLineColumn()
    {
        var file = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(file, "backbones: [no/such/model]\ndatasets: [synthetic:nope]\nseeds: [one]\nretries: -1\n");

        var run = ProcessRunner.MselabIn(_folder, "sweep", "validate", file);

        Assert.Equal(2, run.ExitCode);
        foreach (var line in new[] { 1, 2, 3, 4 })
        {
            Assert.Contains($"bad.yaml:{line}:", run.StandardError, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Hundreds of random mutations of real sweep files (characters YAML cares about inserted, spans deleted, lines
    /// swapped or duplicated, numbers garbled, files cut short): every one ends in 0 or 2, and no output has a stack trace.
    /// The command runs in this process, through the real command tree and error handler.
    /// </summary>
    [Fact]
    public void Validate_RandomMutations_AlwaysZeroOrTwoNeverAStackTrace()
    {
        var seeds = new[]
        {
            File.ReadAllText(Quickstart),
            "name: grid\nbase: {max_epochs: 2}\nbackbones: [tiny]\ndatasets: [synthetic:meld?train=8&valid=4&test=4]\ngrid:\n  lr: [1e-3, 5e-4]\n  batch_size: [4]\nseeds: [1, 2]\nresources: {device: cpu, memory_gb: 1}\nretries: 0\npriority: 3\n",
            "name: search\nbackbones: [tiny]\ndatasets: [synthetic:mosei]\nseeds: [7]\nrandom:\n  samples: 3\n  params:\n    lr: {loguniform: [1e-5, 1e-2]}\n    warm_up_epochs: {choice: [10, 30]}\n",
        };
        var random = new Random(20261201);
        var outcomes = new Dictionary<int, int>();
        var file = Path.Combine(_folder, "fuzz.yaml");
        for (var i = 0; i < 400; i++)
        {
            var text = Mutate(seeds[i % seeds.Length], random);
            File.WriteAllText(file, text);

            var (exit, output) = RunInProcess("sweep", "validate", file);

            Assert.True(exit is 0 or 2, $"mutation {i} exited {exit}:\n{text}\n---\n{output}");
            Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"mutation {i} printed a stack trace:\n{text}\n---\n{output}");
            Assert.True(exit == 0 || output.Contains("fuzz.yaml:", StringComparison.Ordinal) || output.Contains("error:", StringComparison.Ordinal), $"mutation {i}: no error text:\n{output}");
            outcomes[exit] = outcomes.GetValueOrDefault(exit) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault(0) > 0 && outcomes.GetValueOrDefault(2) > 100, $"exits: {string.Join(", ", outcomes)}");
    }

    private static string Mutate(string text, Random random)
    {
        const string Significant = "[]{}:,-#'\"&*!|>%@` \n\t?=0.e-5";
        var builder = new StringBuilder(text);
        for (var m = random.Next(1, 4); m > 0 && builder.Length > 0; m--)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(6))
            {
                case 0:
                    builder.Insert(at, Significant[random.Next(Significant.Length)]);
                    break;
                case 1:
                    builder.Remove(at, Math.Min(builder.Length - at, random.Next(1, 12)));
                    break;
                case 2:
                    builder.Length = at;   // cut short
                    break;
                case 3:
                    var lines = builder.ToString().Split('\n').ToList();
                    var a = random.Next(lines.Count);
                    var b = random.Next(lines.Count);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    builder.Clear().AppendJoin('\n', lines);
                    break;
                case 4:
                    var all = builder.ToString().Split('\n').ToList();
                    var line = random.Next(all.Count);
                    all.Insert(line, all[line]);
                    builder.Clear().AppendJoin('\n', all);
                    break;
                default:
                    var digit = builder.ToString().IndexOfAny("0123456789".ToCharArray(), at);
                    if (digit >= 0)
                    {
                        builder.Remove(digit, 1).Insert(digit, new[] { "x", "-1", "1e999", "0", "99999999999", "NaN", ".5", "" }[random.Next(8)]);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static (int Exit, string Output) RunInProcess(params string[] args)
    {
        var output = new StringWriter();
        var (stdout, stderr, console) = (Console.Out, Console.Error, AnsiConsole.Console);
        try
        {
            Console.SetOut(output);
            Console.SetError(output);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            var app = new CommandApp();
            app.Configure(CommandTree.Configure);
            return (app.Run(args), output.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            AnsiConsole.Console = console;
        }
    }
}
