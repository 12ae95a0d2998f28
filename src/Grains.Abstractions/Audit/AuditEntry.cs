namespace AgenteVendedor.Audit;

[GenerateSerializer, Immutable, Alias("av.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? UserId,
    [property: Id(2)] string Entity,
    [property: Id(3)] string? EntityId,
    [property: Id(4)] string Action,
    [property: Id(5)] string DetailJson,
    [property: Id(6)] DateTime CreatedAt);

/// <summary>GET /auditoria filters; null means "any".</summary>
[GenerateSerializer, Immutable, Alias("av.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? Entity,
    [property: Id(1)] string? Action,
    [property: Id(2)] Guid? UserId,
    [property: Id(3)] DateTime? From,
    [property: Id(4)] DateTime? To,
    [property: Id(5)] int Page,
    [property: Id(6)] int Size);
