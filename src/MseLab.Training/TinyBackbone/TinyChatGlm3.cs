using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.Models.Tokenization;

namespace MseLab.Training.TinyBackbone;

/// <summary>
/// A tiny ChatGLM3 in the real THUDM/chatglm3-6b-base layout: a SentencePiece BPE <c>tokenizer.model</c> (byte fallback,
/// 9 specials after its pieces), a config.json with <c>auto_map</c> and the real model's switches (multi-query attention
/// with 2 groups, qkv bias only, RMSNorm, rotary on half the head) and a padded vocabulary.
/// </summary>
internal sealed class TinyChatGlm3 : TinyFamily
{
    public override BackboneFamily Family => BackboneFamily.ChatGLM3;

    public override void WriteTokenizer(string directory, IEnumerable<string> corpus, TinyBackboneOptions options)
    {
        SentencePieceBpeTrainer.TrainToFile(corpus, options.VocabSize, Path.Combine(directory, ChatGlm3Tokenizer.FileName));
        RemoteTokenizerConfigs.Write(directory, RemoteTokenizerConfigs.ChatGlm3());
    }

    public override TinyModel CreateModel(int tokenizerVocab, TinyBackboneOptions options)
    {
        // The real model pads 64,798 tokenizer ids to 65,024 rows; pad to a multiple of 64 likewise.
        var padded = (tokenizerVocab + 63) / 64 * 64;
        var config = new ChatGlmConfig
        {
            Architectures = ["ChatGLMModel"],
            ModelType = "chatglm",
            AutoMap = new Dictionary<string, string>
            {
                ["AutoConfig"] = "configuration_chatglm.ChatGLMConfig",
                ["AutoModel"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
                ["AutoModelForCausalLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
                ["AutoModelForSeq2SeqLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
                ["AutoModelForSequenceClassification"] = "modeling_chatglm.ChatGLMForSequenceClassification",
            },
            NumLayers = options.Layers,
            HiddenSize = options.HiddenSize,
            FfnHiddenSize = options.IntermediateSize,
            KvChannels = options.HiddenSize / options.Heads,
            NumAttentionHeads = options.Heads,
            MultiQueryAttention = true,
            MultiQueryGroupNum = options.KeyValueHeads,
            PaddedVocabSize = padded,
            VocabSize = padded,
            SeqLength = 512,
            LayernormEpsilon = 1e-5,
            RmsNorm = true,
            ApplyResidualConnectionPostLayernorm = false,
            PostLayerNorm = true,
            AddBiasLinear = false,
            AddQkvBias = true,
            ApplyQueryKeyLayerScaling = true,
            AttentionSoftmaxInFp32 = true,
            Fp32ResidualConnection = false,
            OriginalRope = true,
            EosTokenId = JsonSerializer.SerializeToElement(2),
            PadTokenId = 0,
            TorchDtype = "float32",
        };
        return TinyModel.Of(new ChatGlmForCausalLM(config), config.Save);
    }
}
