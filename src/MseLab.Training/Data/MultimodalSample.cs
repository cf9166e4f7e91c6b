namespace MseLab.Training.Data;

/// <summary>
/// One utterance: raw text (re-tokenized by the LLM), audio and video features zero-padded at the back to the split's
/// padded steps (row-major steps x dim), their true lengths, and the label (intensity, or class index). The features are
/// views: of an array for synthetic data, of the memory-mapped cache for stored data (valid while its dataset is open).
/// </summary>
public sealed record MultimodalSample(string Id, string Text, ReadOnlyMemory<float> Audio, int AudioLength, ReadOnlyMemory<float> Video, int VideoLength, float Label);
