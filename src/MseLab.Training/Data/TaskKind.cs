namespace MseLab.Training.Data;

/// <summary>MSA datasets are regression (a sentiment intensity); ERC datasets are 7-class classification.</summary>
public enum TaskKind
{
    Regression,
    Classification,
}
