using System.Text.Json.Serialization;

namespace MseLab.Datasets.Readers;

/// <summary>
/// What <c>mselab data inspect --json</c> prints: per split the sample count, feature shapes, sums of the true lengths,
/// label statistics (regression: min/max/mean; classification: counts per class index) and float64 sums of the cleaned
/// padded feature arrays.
/// </summary>
public sealed record DatasetSummary(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("hash")] string? Hash,
    [property: JsonPropertyName("splits")] IReadOnlyDictionary<string, SplitSummary> Splits);

public sealed record SplitSummary(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("audio_shape")] IReadOnlyList<int> AudioShape,
    [property: JsonPropertyName("vision_shape")] IReadOnlyList<int> VisionShape,
    [property: JsonPropertyName("audio_lengths_sum")] long AudioLengthsSum,
    [property: JsonPropertyName("vision_lengths_sum")] long VisionLengthsSum,
    [property: JsonPropertyName("labels")] LabelSummary Labels,
    [property: JsonPropertyName("audio_sum")] double AudioSum,
    [property: JsonPropertyName("vision_sum")] double VisionSum);

/// <summary>Regression: Min, Max, Mean (Counts null). Classification: Counts by class index as text (Min/Max/Mean null).</summary>
public sealed record LabelSummary(
    [property: JsonPropertyName("min"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    [property: JsonPropertyName("mean"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Mean,
    [property: JsonPropertyName("counts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, int>? Counts);
