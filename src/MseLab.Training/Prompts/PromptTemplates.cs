using MseLab.Experiments.Datasets;
using MseLab.Models.Prompting;
using MseLab.Models.Tokenization;

namespace MseLab.Training.Prompts;

/// <summary>Resolves a backbone profile's prompt segments (data) to the token ids of a <see cref="PromptTemplate"/>.</summary>
public static class PromptTemplates
{
    /// <summary>The paper's number of pseudo tokens (4 everywhere except Qwen on MELD).</summary>
    public const int DefaultPseudoTokens = 4;

    public static PromptTemplate Build(BackboneProfile profile, ITextTokenizer tokenizer, PaperDataset dataset, int pseudoTokens = DefaultPseudoTokens, int? textLength = null)
    {
        var prefix = profile.Prefix(dataset).SelectMany(s => Ids(s, tokenizer)).ToArray();
        var suffix = profile.Suffix(dataset).Append(profile.TaskPromptSegment(dataset)).SelectMany(s => Ids(s, tokenizer)).ToArray();
        return new PromptTemplate(prefix, suffix, pseudoTokens, textLength ?? PaperDatasets.Info(dataset).TextLength, profile.PadToken.Resolve(tokenizer));
    }

    private static int[] Ids(PromptSegment segment, ITextTokenizer tokenizer) => segment switch
    {
        SpecialTokenEmbedding special => [tokenizer.TokenToId(special.Token)],
        TextWithSpecialTokens text => tokenizer.Encode(text.Text, addSpecialTokens: true),
        TextWithoutSpecialTokens text => tokenizer.Encode(text.Text, addSpecialTokens: false),
        _ => throw new NotSupportedException($"Prompt segment {segment.GetType().Name} is not supported."),
    };
}
