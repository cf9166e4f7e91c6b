namespace MseLab.Models.Adapter;

/// <summary>
/// The official configuration of one backbone x dataset run (spec tables 1.10, 3 and 5.2; official
/// <c>config/config_{regression,classification}.py</c>).
/// </summary>
/// <param name="Backbone">CLI name of the backbone: <c>llama2-7b</c>, <c>qwen-1.8b</c> or <c>chatglm3-6b-base</c>.</param>
/// <param name="Dataset">CLI name of the dataset: <c>mosei</c>, <c>simsv2</c>, <c>meld</c> or <c>cherma</c>.</param>
/// <param name="Adapter">Adapter sizes (D, P, feature widths, LSTM hidden sizes).</param>
/// <param name="TextLength">L: tokens the text is left-padded or truncated to.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="WarmUpEpochs">Cosine-schedule horizon in epochs (10 % of it is linear warm-up).</param>
/// <param name="EarlyStop">Epochs without validation improvement before stopping.</param>
/// <param name="MaxNewTokens">Greedy generation length at evaluation.</param>
/// <param name="Task">Regression (MOSEI, SIMS-V2) or classification (MELD, CHERMA).</param>
public sealed record PaperPreset(
    string Backbone,
    string Dataset,
    MseAdapterConfig Adapter,
    int TextLength,
    int BatchSize,
    double LearningRate,
    int WarmUpEpochs,
    int EarlyStop,
    int MaxNewTokens,
    PaperTaskKind Task);
