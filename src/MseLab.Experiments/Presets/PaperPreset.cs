using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;

namespace MseLab.Experiments.Presets;

/// <summary>
/// The official configuration of one backbone x dataset run (spec tables 1.10, 3 and 5.2; official
/// <c>config/config_{regression,classification}.py</c>).
/// </summary>
/// <param name="Family">The backbone family; its paper checkpoint is <see cref="Backbone"/>.</param>
/// <param name="Dataset">The paper dataset.</param>
/// <param name="Adapter">Adapter sizes (D, P, feature widths, LSTM hidden sizes).</param>
/// <param name="TextLength">L: tokens the text is left-padded or truncated to.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="WarmUpEpochs">Cosine-schedule horizon in epochs (10 % of it is linear warm-up).</param>
/// <param name="EarlyStop">Epochs without validation improvement before stopping.</param>
/// <param name="MaxNewTokens">Greedy generation length at evaluation.</param>
/// <param name="Task">Regression (MOSEI, SIMS-V2) or classification (MELD, CHERMA).</param>
public sealed record PaperPreset(
    BackboneFamily Family,
    PaperDataset Dataset,
    MseAdapterConfig Adapter,
    int TextLength,
    int BatchSize,
    double LearningRate,
    int WarmUpEpochs,
    int EarlyStop,
    int MaxNewTokens,
    TaskKind Task)
{
    /// <summary>The paper checkpoint's name: <c>llama2-7b</c>, <c>qwen-1.8b</c> or <c>chatglm3-6b-base</c>.</summary>
    public string Backbone => BackboneFamilies.PaperName(Family);
}
