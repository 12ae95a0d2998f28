using System.Globalization;
using AgenteVendedor.Conversations;
using AgenteVendedor.Conversations.Offline;
using AgenteVendedor.Notifications;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Commerce;

/// <summary>How long a cart stays untouched before its one reminder (Channels:AbandonedCartAfter), and the reminder's period.</summary>
public sealed record AbandonedCartOptions(TimeSpan After, TimeSpan Period);

/// <summary>
/// Abandoned carts on WhatsApp and Telegram: each cart (a change of its content is a new cart) gets at most one reminder,
/// when it has been untouched for <see cref="AbandonedCartOptions.After"/> (every message of the customer touches it). The ConversationGrain keeps an Orleans reminder
/// named <see cref="ReminderName"/> while a cart is waiting: registered when the cart changes, unregistered when it empties,
/// the order is placed or the reminder went out. The message goes through the <see cref="CustomerMessenger"/>: free text
/// inside WhatsApp's 24-hour window (and always on Telegram), the empresa's carrito_abandonado template outside it, nothing
/// without one. Not for a chat a person holds.
/// </summary>
public sealed class AbandonedCarts(CustomerMessenger messenger, AbandonedCartOptions options, TimeProvider clock)
{
    public const string ReminderName = "carrito-abandonado";

    public AbandonedCartOptions Options => options;

    public enum Change
    {
        None = 0,
        NewCart = 1,
        Emptied = 2,

        /// <summary>The customer wrote and the cart, not yet reminded, is the same: its silence starts again (move the reminder).</summary>
        Touched = 3,
    }

    /// <summary>
    /// After a customer's turn: whether the cart is new (register the reminder), gone (unregister it), the same one the
    /// customer is still busy with (a turn touches the cart: the reminder moves to <see cref="AbandonedCartOptions.After"/>
    /// from now, unless that cart was already reminded) or nothing to do.
    /// </summary>
    public Change Watch(ConversationState state)
    {
        var fingerprint = state.Cart.Count == 0
            ? null
            : string.Join(',', state.Cart.OrderBy(c => c.ProductId).Select(c => $"{c.ProductId:N}:{c.Quantity.ToString(CultureInfo.InvariantCulture)}"));
        if (fingerprint == state.CartFingerprint)
        {
            if (fingerprint is null || state.RemindedCart == state.CartVersion)
            {
                return Change.None;
            }

            state.CartChangedAt = clock.GetUtcNow().UtcDateTime;
            return Change.Touched;
        }

        state.CartFingerprint = fingerprint;
        state.CartChangedAt = clock.GetUtcNow().UtcDateTime;
        if (fingerprint is null)
        {
            return Change.Emptied;
        }

        state.CartVersion++;
        return Change.NewCart;
    }

    /// <summary>What the reminder's tick did: whether the reminder is done with (unregister it), and the text to record in the transcript.</summary>
    public sealed record Tick(bool Done, string? Said);

    public async Task<Tick> RemindAsync(Guid tenantId, string channel, string address, ConversationState state, CartView cart, EmpresaProfile profile)
    {
        if (state.CartFingerprint is null || cart.Items.Count == 0 || state.Handoff || state.RemindedCart == state.CartVersion)
        {
            return new Tick(true, null);
        }

        if (clock.GetUtcNow().UtcDateTime - state.CartChangedAt < options.After)
        {
            return new Tick(false, null);
        }

        // Marked before sending: a crash after the send must not remind the same cart twice.
        state.RemindedCart = state.CartVersion;
        var settings = new AgentSettings(profile.Name, profile.AgentName, profile.Tone, profile.Instructions,
            CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, null);
        var say = new Replies(settings);
        var greeting = state.CustomerName is { Length: > 0 } name ? $"¡Hola, {name}!" : "¡Hola!";
        var text = $"{greeting} Dejaste productos en tu carrito de {profile.Name}.\n"
            + say.CartText("Tu carrito:", cart)
            + "\n¿Quieres que confirmemos el pedido? Respóndeme y lo terminamos, o dime si quieres cambiar algo.";
        var parameters = new Dictionary<string, string>
        {
            [TemplateParameters.Customer] = state.CustomerName ?? "-",
            [TemplateParameters.Empresa] = profile.Name,
            [TemplateParameters.Total] = say.Money(cart.Total),
            [TemplateParameters.Products] = string.Join(", ", cart.Items.Select(l => $"{l.Quantity.ToString(CultureInfo.InvariantCulture)} × {l.Name}")),
        };
        var outcome = await messenger.SendAsync(tenantId, channel, address, NotificationEvents.AbandonedCart, text, parameters);
        return new Tick(true, outcome switch
        {
            MessageSent { Via: CustomerMessenger.ViaTemplate, Template: var template } => $"[Plantilla {template}: recordatorio del carrito]",
            MessageSent => text,
            _ => null,
        });
    }
}
