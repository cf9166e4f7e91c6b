using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Prompting;

/// <summary>
/// Everything about how MSE-Adapter talks to one backbone family, as data (spec §1.6–§1.8): the LLM input is
/// <c>Prefix ; P pseudo tokens ; L left-padded text tokens ; Suffix ; task prompt ; label tokens</c>, with no
/// attention mask. Get instances from <see cref="BackboneProfiles.For"/>.
/// </summary>
public sealed record BackboneProfile
{
    /// <summary>The family this profile describes.</summary>
    public required BackboneFamily Family { get; init; }

    /// <summary>The checkpoint the paper used, e.g. "LLaMA2-7B".</summary>
    public required string PaperCheckpoint { get; init; }

    /// <summary>Segments before the pseudo tokens, per data-set language.</summary>
    public required IReadOnlyDictionary<PromptLanguage, IReadOnlyList<PromptSegment>> Prefixes { get; init; }

    /// <summary>Segments right after the text tokens (the closing tag), per data-set language.</summary>
    public required IReadOnlyDictionary<PromptLanguage, IReadOnlyList<PromptSegment>> Suffixes { get; init; }

    /// <summary>
    /// The token that left-pads the text to L and pads label ids in a batch. Both kinds of padding are attended
    /// and the label padding is a training target (spec §1.6, §1.8).
    /// </summary>
    public required TokenReference PadToken { get; init; }

    /// <summary>
    /// The end-of-sequence token of the family's generation config (LLaMA-2 <c>&lt;/s&gt;</c>, Qwen-1
    /// <c>&lt;|endoftext|&gt;</c> = 151643 in the real tokenizer, ChatGLM3 <c>&lt;/s&gt;</c>), looked up by name.
    /// </summary>
    public required TokenReference EosToken { get; init; }

    /// <summary>
    /// Whether greedy decoding ends a row at its first <see cref="EosToken"/> (Hugging Face <c>generate</c>, which the
    /// official LLaMA and Qwen code call: what follows is padding, dropped before decoding) or keeps generating
    /// (the official ChatGLM3 code's own loop; its EOS decodes to "").
    /// </summary>
    public required bool StopsAtEos { get; init; }

    /// <summary>How regression labels are written.</summary>
    public required RegressionLabelStyle RegressionLabelStyle { get; init; }

    /// <summary>The config's <c>task_specific_prompt</c> per data set, verbatim.</summary>
    public required IReadOnlyDictionary<PaperDataset, string> TaskPrompts { get; init; }

    /// <summary>The prefix for <paramref name="dataset"/> (its language picks the tag text).</summary>
    public IReadOnlyList<PromptSegment> Prefix(PaperDataset dataset) => Prefixes[PaperDatasets.Info(dataset).Language];

    /// <summary>The closing tag for <paramref name="dataset"/>.</summary>
    public IReadOnlyList<PromptSegment> Suffix(PaperDataset dataset) => Suffixes[PaperDatasets.Info(dataset).Language];

    /// <summary>The task prompt text for <paramref name="dataset"/>, verbatim from the official config (MOSI and SIMS: their <see cref="PaperDatasetInfo.ConfigFrom"/>'s).</summary>
    public string TaskPrompt(PaperDataset dataset) =>
        TaskPrompts.TryGetValue(PaperDatasets.Info(dataset).ConfigFrom, out var prompt)
            ? prompt
            : throw new ArgumentOutOfRangeException(nameof(dataset), dataset, $"{Family} has no task prompt for this data set.");

    /// <summary>The id greedy decoding stops each row at in <paramref name="tokenizer"/>; null when the family keeps generating.</summary>
    /// <exception cref="KeyNotFoundException">The tokenizer lacks the EOS token; the message names it.</exception>
    public int? StopTokenId(ITextTokenizer tokenizer) => StopsAtEos ? EosToken.Resolve(tokenizer) : null;

    /// <summary>The task prompt as a segment: prompts are encoded without special tokens.</summary>
    public PromptSegment TaskPromptSegment(PaperDataset dataset) => new TextWithoutSpecialTokens(TaskPrompt(dataset));
}
