using AgenteVendedor.Common;

namespace AgenteVendedor.Notifications;

/// <summary>The events a customer is told about; each may be mapped to a WhatsApp template for sends outside the 24-hour window.</summary>
public static class NotificationEvents
{
    public const string OrderConfirmed = "venta_confirmada";
    public const string OrderPreparing = "venta_preparando";
    public const string OrderShipped = "venta_enviada";
    public const string OrderDelivered = "venta_entregada";
    public const string OrderAnnulled = "venta_anulada";
    public const string AbandonedCart = "carrito_abandonado";

    public static readonly IReadOnlyList<string> All = [OrderConfirmed, OrderPreparing, OrderShipped, OrderDelivered, OrderAnnulled, AbandonedCart];

    /// <summary>The event of an order reaching an estado (sql/0120 writes the same name into the outbox).</summary>
    public static string ForStatus(string status) => $"venta_{status}";
}

/// <summary>
/// The values a template's body parameters can take, named in a mapping's <c>parametros</c> in the template's
/// {{1}}, {{2}}… order.
/// </summary>
public static class TemplateParameters
{
    /// <summary>The customer's name.</summary>
    public const string Customer = "cliente";

    /// <summary>The empresa's name.</summary>
    public const string Empresa = "empresa";

    /// <summary>The order's short number: the first 8 characters of its id, in capitals.</summary>
    public const string Order = "venta";

    /// <summary>The order's estado, in words ("en preparación").</summary>
    public const string Status = "estado";

    /// <summary>The total in the empresa's currency and culture ("$ 35.000").</summary>
    public const string Total = "total";

    /// <summary>The products and quantities ("2 × Martillo, 1 × Serrucho").</summary>
    public const string Products = "productos";

    /// <summary>The note staff wrote with the change of estado, or "-".</summary>
    public const string Note = "nota";

    public static readonly IReadOnlyList<string> All = [Customer, Empresa, Order, Status, Total, Products, Note];
}

/// <summary>An event's template: Meta's name and language code, and which values fill {{1}}, {{2}}… in that order.</summary>
[GenerateSerializer, Immutable, Alias("av.NotificationTemplate")]
public sealed record NotificationTemplate(
    [property: Id(0)] string Event, [property: Id(1)] string Name, [property: Id(2)] string Language, [property: Id(3)] IReadOnlyList<string> Parameters);

/// <summary>A template as an admin asks for it, not yet checked.</summary>
[GenerateSerializer, Immutable, Alias("av.NotificationTemplateDraft")]
public sealed record NotificationTemplateDraft(
    [property: Id(0)] string? Name, [property: Id(1)] string? Language, [property: Id(2)] IReadOnlyList<string?>? Parameters);

/// <summary>One of the WhatsApp Business Account's templates as Meta lists it; Parameters counts the {{n}} of its body.</summary>
[GenerateSerializer, Immutable, Alias("av.AccountTemplate")]
public sealed record AccountTemplate(
    [property: Id(0)] string Name, [property: Id(1)] string Language, [property: Id(2)] string Status,
    [property: Id(3)] string Category, [property: Id(4)] int Parameters);

/// <summary>
/// A notification of an order as staff see it. Status: pendiente, enviada, entregada, leida, fallida or omitida
/// (once sent, it follows the delivery statuses Meta reports).
/// </summary>
[GenerateSerializer, Immutable, Alias("av.OrderNotification")]
public sealed record OrderNotification(
    [property: Id(0)] string Event, [property: Id(1)] string? Via, [property: Id(2)] string? Template, [property: Id(3)] string Status,
    [property: Id(4)] string? ErrorCode, [property: Id(5)] string? ErrorMessage, [property: Id(6)] DateTime CreatedAt, [property: Id(7)] DateTime UpdatedAt);

/// <summary>An empresa's notification settings on WhatsApp (key: empresa id): the event → template mapping and the account's templates.</summary>
public interface INotificationSettingsGrain : IGrainWithGuidKey
{
    /// <summary>The mapped events, in the order of <see cref="NotificationEvents.All"/>; 409 when WhatsApp is not configured.</summary>
    Task<Outcome<IReadOnlyList<NotificationTemplate>>> GetMappingAsync();

    /// <summary>Replaces the whole mapping (a null draft, or an event left out, is unmapped); 422 per field, 409 without WhatsApp. Audited.</summary>
    Task<Outcome<IReadOnlyList<NotificationTemplate>>> ReplaceMappingAsync(Actor actor, IReadOnlyDictionary<string, NotificationTemplateDraft?> mapping);

    /// <summary>The account's templates from the Graph API; 409 without waba_id, 503 when Meta fails or cannot be reached.</summary>
    Task<Outcome<IReadOnlyList<AccountTemplate>>> ListAccountTemplatesAsync();
}

/// <summary>Sends an empresa's pending order notifications (key: empresa id), off the request path that wrote them.</summary>
public interface INotificationOutboxGrain : IGrainWithGuidKey
{
    /// <summary>Starts sending what is due, if it is not already doing so; returns at once.</summary>
    [Orleans.Concurrency.OneWay]
    Task WakeAsync();
}

/// <summary>One per cluster (key 0), kept alive by a reminder: wakes the outboxes of empresas with notifications left unsent.</summary>
public interface INotificationSweeperGrain : IGrainWithIntegerKey
{
    Task StartAsync();

    Task<int> SweepAsync();
}
