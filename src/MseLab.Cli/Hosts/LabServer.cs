namespace MseLab.Cli.Hosts;

/// <summary>A server of the lab network, each at its own address so that one can be cut from one host alone.</summary>
public enum LabServer
{
    Postgres,
    RabbitMq,
    Redis,
}
