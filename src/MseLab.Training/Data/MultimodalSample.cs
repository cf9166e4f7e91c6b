namespace MseLab.Training.Data;

/// <summary>
/// One utterance: raw text (re-tokenized by the LLM), audio and video features zero-padded at the back to the
/// dataset's fixed steps (row-major steps x dim), their true lengths, and the label (intensity, or class index).
/// </summary>
public sealed record MultimodalSample(string Id, string Text, float[] Audio, int AudioLength, float[] Video, int VideoLength, float Label);
