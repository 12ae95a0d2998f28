using System.Text.RegularExpressions;
using AgenteVendedor.Catalog;
using AgenteVendedor.Conversations.Offline;
using AgenteVendedor.Customers;
using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations;

/// <summary>
/// The offline driver: no model, no network. Each message is read by the <see cref="Interpreter"/>
/// into acts, against a view of the session and the empresa's catalog words; this class carries
/// the acts out through the <see cref="SalesTools"/> (the only writer of the session) and answers
/// from <see cref="Replies"/>, filled only with catalog and cart figures.
/// </summary>
public sealed partial class OfflineAgent : IAgentDriver
{
    public string Name => "offline";

    public async Task<AgentReply> RespondAsync(SalesTools tools, string message, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var say = new Replies(settings);
        var state = tools.State;
        var reading = await tools.ReadAsync(message);
        var utterance = Utterance.Read(message, reading);

        if (state.Awaiting is Awaiting.Name or Awaiting.Phone or Awaiting.Address
            && !utterance.Words.Any(w => (w.Cue & (Cue.Cancel | Cue.HandOff)) != 0 && !w.InProduct))
        {
            return await AnswerAwaitedAsync(tools, say, settings, state.Awaiting, message);
        }

        var view = await ViewAsync(tools);
        var faq = settings.Questions.Count > 0 ? new FaqIndex(settings.Questions) : null;
        var acts = Interpreter.Interpret(utterance, view, faq);
        var turn = new Turn(tools, say, settings, reading, faq, state.PendingQuantity, manyItems: acts.Count(a => a is Act.Add) > 1);
        if (state.Awaiting == Awaiting.Confirmation && !acts.Any(a => a is Act.Confirm or Act.Decline))
        {
            tools.Await(null);
        }

        // What the last reply asked is answered (or left) by this message.
        tools.Ask(null);
        foreach (var act in acts)
        {
            await turn.RunAsync(act, utterance);
            if (turn.Stop)
            {
                break;
            }
        }

        return turn.Reply();
    }

    /// <summary>The session as the interpreter sees it, read from the catalog now.</summary>
    private static async Task<SessionView> ViewAsync(SalesTools tools)
    {
        var state = tools.State;
        async Task<ProductView?> View(Guid id) => await tools.ProductAsync(id) is { Active: true } p ? ProductView.Of(p) : null;
        var shown = (await tools.ActiveProductsAsync(state.Shown)).Select(ProductView.Of).ToList();
        var cart = new List<(ProductView, int)>();
        foreach (var line in state.Cart)
        {
            if (await View(line.ProductId) is { } p)
            {
                cart.Add((p, line.Quantity));
            }
        }

        var focus = state.Focus is { } f ? await View(f) : null;
        return new SessionView(shown, focus, cart, state.Awaiting,
            state.Offer is { } o ? (o.ProductId, o.Quantity) : null, state.Asked, state.PendingQuantity, state.ImplicitLine, state.LastQuery);
    }

    private static async Task<AgentReply> AnswerAwaitedAsync(SalesTools tools, Replies say, AgentSettings settings, string awaiting, string message)
    {
        switch (awaiting)
        {
            case Awaiting.Name:
                var name = NamePrefix().Replace(message.Trim(), string.Empty).Trim(' ', '.', '!', ',');
                if (name.Length is < 2 or > 120)
                {
                    tools.Await(Awaiting.Name);
                    return new AgentReply(say.AskNameAgain, ChatTypes.Sale, []);
                }

                tools.CaptureCustomer(name: name);
                break;
            case Awaiting.Phone:
                var phone = PhoneNumbers.ToE164(message, settings.Culture.Name);
                if (phone is null)
                {
                    tools.Await(Awaiting.Phone);
                    return new AgentReply(say.BadPhone, ChatTypes.Sale, []);
                }

                tools.CaptureCustomer(phone: phone);
                break;
            default:
                if (message.Trim().Length < 5)
                {
                    tools.Await(Awaiting.Address);
                    return new AgentReply(say.AskFullAddress, ChatTypes.Sale, []);
                }

                tools.CaptureCustomer(address: message.Trim());
                break;
        }

        var turn = new Turn(tools, say, settings, CatalogReading.Empty, null);
        await turn.RunAsync(new Act.Checkout(), null);
        return turn.Reply();
    }

    [GeneratedRegex(@"^(me llamo|mi nombre es|soy|a nombre de|es a nombre de|el nombre es|nombre:?)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex NamePrefix();
}
