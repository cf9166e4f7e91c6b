using System.Text.Json.Nodes;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

public sealed class RemoteTokenizerConfigsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-tokenizer-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("qwen", "QWenTokenizer", "tokenization_qwen.QWenTokenizer")]
    [InlineData("chatglm3", "ChatGLMTokenizer", "tokenization_chatglm.ChatGLMTokenizer")]
    public void Write_Family_NamesTheRemoteTokenizerClass(string family, string tokenizerClass, string autoTokenizer)
    {
        RemoteTokenizerConfigs.Write(_dir, family == "qwen" ? RemoteTokenizerConfigs.Qwen() : RemoteTokenizerConfigs.ChatGlm3());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "tokenizer_config.json")))!;

        Assert.Equal(tokenizerClass, (string?)config["tokenizer_class"]);
        Assert.Equal(autoTokenizer, (string?)config["auto_map"]!["AutoTokenizer"]![0]);
    }
}
