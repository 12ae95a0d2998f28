using System.Globalization;
using AgenteVendedor.Conversations;
using AgenteVendedor.Sales;

namespace AgenteVendedor.Notifications;

/// <summary>What a customer reads for each change of estado, and the values a template of that event can take.</summary>
public static class NotificationTexts
{
    /// <summary>The order number customers see (the agent's confirmation uses the same): the id's last 8 hex digits.</summary>
    public static string OrderNumber(Guid orderId) => orderId.ToString("N")[^8..].ToUpperInvariant();

    private static readonly Dictionary<string, string> StatusWords = new(StringComparer.Ordinal)
    {
        [OrderStatus.Pending] = "pendiente",
        [OrderStatus.Confirmed] = "confirmado",
        [OrderStatus.Preparing] = "en preparación",
        [OrderStatus.Shipped] = "enviado",
        [OrderStatus.Delivered] = "entregado",
        [OrderStatus.Annulled] = "anulado",
    };

    public static (string Text, IReadOnlyDictionary<string, string> Parameters) For(NotificationOutbox.Due due)
    {
        var status = due.Event.StartsWith("venta_", StringComparison.Ordinal) ? due.Event["venta_".Length..] : due.Event;
        var number = OrderNumber(due.OrderId);
        var total = Money(due.Total, due.Culture, due.Currency);
        var name = FirstName(due.CustomerName);
        var greeting = name is null ? "¡Hola!" : $"¡Hola, {name}!";
        var text = due.Event switch
        {
            NotificationEvents.OrderConfirmed => $"{greeting} Tu pedido {number} por {total} está confirmado. Te avisaremos cuando lo estemos preparando. ¡Gracias por tu compra en {due.EmpresaName}!",
            NotificationEvents.OrderPreparing => $"{greeting} Ya estamos preparando tu pedido {number} ({total}). Te escribimos apenas salga.",
            NotificationEvents.OrderShipped => $"{greeting} Tu pedido {number} ({total}) va en camino. ¡Pronto lo tendrás contigo!",
            NotificationEvents.OrderDelivered => $"{greeting} Tu pedido {number} ({total}) fue entregado. ¡Gracias por comprar en {due.EmpresaName}! Si algo no está bien, escríbenos por aquí.",
            NotificationEvents.OrderAnnulled => $"{greeting} Tu pedido {number} por {total} fue anulado. Si tienes preguntas o quieres hacer un pedido nuevo, escríbenos por aquí.",
            _ => $"{greeting} Tu pedido {number} ({total}) ahora está {StatusWords.GetValueOrDefault(status, status)}.",
        };
        if (due.Note is { Length: > 0 } note)
        {
            text += $"\nNota: {note}";
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TemplateParameters.Customer] = name ?? due.CustomerName,
            [TemplateParameters.Empresa] = due.EmpresaName,
            [TemplateParameters.Order] = number,
            [TemplateParameters.Status] = StatusWords.GetValueOrDefault(status, status),
            [TemplateParameters.Total] = total,
            [TemplateParameters.Products] = due.Products ?? "-",
            [TemplateParameters.Note] = due.Note ?? "-",
        };
        return (text, parameters);
    }

    /// <summary>Money as the empresa's customers write it ($35.000 in es-CO), the same as the agent's answers.</summary>
    public static string Money(decimal amount, string culture, string currency) =>
        new AgentSettings("", "", "", "", CultureOrDefault(culture), currency, null).Money(amount);

    private static CultureInfo CultureOrDefault(string name)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.GetCultureInfo("es-CO");
        }
    }

    private static string? FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : null;
}
