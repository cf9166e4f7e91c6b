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
        var config = ChatGlmConfig.Chatglm3Like(
            layers: options.Layers,
            hidden: options.HiddenSize,
            ffn: options.IntermediateSize,
            kvChannels: options.HiddenSize / options.Heads,
            heads: options.Heads,
            groups: options.KeyValueHeads,
            paddedVocab: padded,
            seqLength: 512);
        return TinyModel.Of(new ChatGlmForCausalLM(config), config.Save);
    }
}
