using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;

namespace MseLab.Models.Prompting;

/// <summary>
/// The three published backbones' <see cref="BackboneProfile"/>s, transcribed from the official code and configs
/// (spec §1.6–§1.8). Tag text follows each data set's <c>language</c>: <c>&lt;Multimodal&gt;</c> for English,
/// <c>&lt;多模态&gt;</c> for Chinese (SIMS-V2, CHERMA), as the official <c>multimodal_prompt_wrap</c> does.
/// </summary>
public static class BackboneProfiles
{
    // The MELD prompts are written in the configs as a string literal continued with a backslash; Python keeps
    // the next line's indentation, which leaves these runs of spaces inside the prompt.
    private static readonly string ChatGlmMeldSpaces = new(' ', 49);
    private static readonly string QwenLlamaMeldSpaces = new(' ', 45);

    private const string MeldClasses = "<neutral:0, surprise:1, fear:2, sadness:3, joy:4, disgust:5, anger:6>.";

    private static readonly BackboneProfile Llama2Profile = new()
    {
        Family = BackboneFamily.Llama2,
        PaperCheckpoint = "LLaMA2-7B",
        // An explicit <s> embedding, then the tag encoded with add_special_tokens=True, which adds <s> again:
        // the official LLaMA input starts with a doubled BOS.
        Prefixes = PerLanguage(
            [new SpecialTokenEmbedding("<s>"), new TextWithSpecialTokens("<Multimodal>")],
            [new SpecialTokenEmbedding("<s>"), new TextWithSpecialTokens("<多模态>")]),
        Suffixes = ClosingTags,
        // LLaMA-2 has no pad token; the official code pads with id 0 (<unk>).
        PadToken = TokenReference.ById(0),
        // generate() stops a row at </s> (id 2); the rest of the row is padding.
        EosToken = TokenReference.ByName("</s>"),
        StopsAtEos = true,
        RegressionLabelStyle = RegressionLabelStyle.OneDecimal,
        TaskPrompts = new Dictionary<PaperDataset, string>
        {
            [PaperDataset.Mosei] = "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0]. Assistant: The sentiment is",
            [PaperDataset.SimsV2] = "请对上述多模态内容的情感强度进行预测，范围在[-1.0, 1.0]之间。响应: 情感为",
            [PaperDataset.Meld] = "Please recognize the emotion of the above multimodal content from the" + QwenLlamaMeldSpaces +
                "target set " + MeldClasses + " Assistant: The emotion is",
            [PaperDataset.Cherma] = "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。助手: 情绪为",
        },
    };

    private static readonly BackboneProfile Qwen1Profile = new()
    {
        Family = BackboneFamily.Qwen1,
        PaperCheckpoint = "Qwen-1.8B",
        // <|im_start|> is set as the BOS and its embedding prepended; the tag is encoded with
        // add_special_tokens=True, to which the Qwen-1 tokenizer adds nothing.
        Prefixes = PerLanguage(
            [new SpecialTokenEmbedding("<|im_start|>"), new TextWithSpecialTokens("<Multimodal>")],
            [new SpecialTokenEmbedding("<|im_start|>"), new TextWithSpecialTokens("<多模态>")]),
        Suffixes = ClosingTags,
        PadToken = TokenReference.ByName("<|endoftext|>"),
        // generation_config.json: eos_token_id = pad_token_id = 151643, <|endoftext|>; generate() stops a row there.
        EosToken = TokenReference.ByName("<|endoftext|>"),
        StopsAtEos = true,
        RegressionLabelStyle = RegressionLabelStyle.OneDecimalPlusForNonNegative,
        TaskPrompts = new Dictionary<PaperDataset, string>
        {
            [PaperDataset.Mosei] = "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0]. Assistant: The sentiment is",
            [PaperDataset.SimsV2] = "请对上述多模态内容的情感强度进行预测，范围在[-1.0, +1.0]之间。响应: 情感为",
            [PaperDataset.Meld] = "Please recognize the emotion of the above multimodal content from the" + QwenLlamaMeldSpaces +
                "target set " + MeldClasses + " Assistant: The emotion is",
            [PaperDataset.Cherma] = "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。助手: 情绪为",
        },
    };

    private static readonly BackboneProfile ChatGlm3Profile = new()
    {
        Family = BackboneFamily.ChatGLM3,
        PaperCheckpoint = "ChatGLM3-6B-base",
        // The official code encodes "{question}\n\n <Multimodal>" with add_special_tokens=True; ChatGLM3's
        // tokenizer then puts its prefix tokens [gMASK] sop in front. "{question}" is never formatted.
        Prefixes = PerLanguage(
            [new SpecialTokenEmbedding("[gMASK]"), new SpecialTokenEmbedding("sop"),
                new TextWithoutSpecialTokens("{question}\n\n <Multimodal>")],
            [new SpecialTokenEmbedding("[gMASK]"), new SpecialTokenEmbedding("sop"),
                new TextWithoutSpecialTokens("{问题}\n\n <多模态>")]),
        Suffixes = ClosingTags,
        // The ChatGLM3 tokenizer pads with id 0 and only on the left.
        PadToken = TokenReference.ById(0),
        // The official GLM code generates with its own loop, which does not stop at </s> (SentencePiece eos id 2);
        // the tokenizer decodes that token to "".
        EosToken = TokenReference.ByName("</s>"),
        StopsAtEos = false,
        RegressionLabelStyle = RegressionLabelStyle.OneDecimal,
        TaskPrompts = new Dictionary<PaperDataset, string>
        {
            [PaperDataset.Mosei] = "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, 3.0]. response: The sentiment is",
            [PaperDataset.SimsV2] = "请对上述多模态内容的情感强度进行预测，范围在[-1.0, 1.0]之间。响应: 情感为",
            [PaperDataset.Meld] = "Please recognize the emotion of the above multimodal content from the target" + ChatGlmMeldSpaces +
                "set " + MeldClasses + " response: The emotion is",
            [PaperDataset.Cherma] = "请选择适用于上述多模态内容的情绪标签：<愤怒:0, 厌恶:1, 恐惧:2, 高兴:3, 平静:4, 悲伤:5, 惊奇:6>。响应: 情绪为",
        },
    };

    /// <summary>All three profiles, in enum order.</summary>
    public static IReadOnlyList<BackboneProfile> All { get; } = [Llama2Profile, Qwen1Profile, ChatGlm3Profile];

    /// <summary>The profile of <paramref name="family"/>.</summary>
    public static BackboneProfile For(BackboneFamily family) => family switch
    {
        BackboneFamily.Llama2 => Llama2Profile,
        BackboneFamily.Qwen1 => Qwen1Profile,
        BackboneFamily.ChatGLM3 => ChatGlm3Profile,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown backbone family."),
    };

    // The closing tag is encoded with add_special_tokens=False for every backbone.
    private static IReadOnlyDictionary<PromptLanguage, IReadOnlyList<PromptSegment>> ClosingTags =>
        PerLanguage([new TextWithoutSpecialTokens("</Multimodal>")], [new TextWithoutSpecialTokens("</多模态>")]);

    private static Dictionary<PromptLanguage, IReadOnlyList<PromptSegment>> PerLanguage(
        PromptSegment[] english, PromptSegment[] chinese) =>
        new() { [PromptLanguage.English] = english, [PromptLanguage.Chinese] = chinese };
}
