using System.Text.Json.Serialization;

namespace MseLab.Cli.Commands.Bench;

/// <summary>What the Optuna run measured.</summary>
internal sealed record OptunaFigures
{
    public required string Optuna { get; init; }

    public required string Storage { get; init; }

    public required int Workers { get; init; }

    public required int Trials { get; init; }

    public required int Completed { get; init; }

    public required double Seconds { get; init; }

    [JsonPropertyName("trials_per_s")]
    public required double TrialsPerSecond { get; init; }
}
