using System.Globalization;
using AgenteVendedor.Channels;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Tenancy;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Conversations;

public sealed class ConversationGrain(
    [PersistentState("conversacion", StorageNames.Default)] IPersistentState<ConversationState> state,
    AgentDrivers drivers,
    ConversationStore transcripts,
    ChannelStore channels,
    ChannelSenders senders,
    InboxOptions inbox,
    TimeProvider clock,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private const int KeptTurns = 40;

    // Orders placed by the agent on a platform channel have no user behind them.
    private static readonly Actor AgentActor = new(Guid.Empty, "agente");

    private (Guid EmpresaId, string Channel, string Address) Key => ConversationKey.Parse(this.GetPrimaryKeyString());

    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Started);

    public async Task<Outcome<ChatReply>> HandleInboundAsync(ChatTurn turn)
    {
        var outcome = await AnswerAsync(turn);
        if (outcome.Succeeded)
        {
            await state.WriteStateAsync();
        }

        return outcome;
    }

    public async Task ProcessInboxAsync()
    {
        // A customer often sends several short messages in a row: wait a moment and answer them together.
        await Task.Delay(inbox.Debounce);
        var pending = await channels.PendingAsync(this.GetPrimaryKeyString());
        if (pending.Count == 0)
        {
            return;
        }

        var (empresaId, channel, address) = Key;
        var phone = channel == ChannelKinds.WhatsApp ? "+" + address : null;
        var text = string.Join("\n", pending.Select(p => p.Text));
        var outcome = await AnswerAsync(new ChatTurn(text, AgentActor, CustomerPhone: phone, CustomerName: null), senderName: pending[^1].SenderName);
        if (outcome.Value is { Text.Length: > 0 } reply && await channels.FindForTenantAsync(empresaId, channel) is { } record)
        {
            var profile = await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
            var sent = await senders.SendAsync(record, address, Outgoing(reply, profile));
            await channels.RecordOutboundAsync(state.State.ConversationId, sent.ExternalId, sent.Sent ? "enviado" : "fallido", sent.ErrorCode, sent.ErrorMessage);
        }

        await state.WriteStateAsync();
        await channels.MarkProcessedAsync(pending);
    }

    public async Task<Outcome<ConversationDetail>> SetHandoffAsync(Actor actor, bool human)
    {
        if (!state.State.Started)
        {
            return Problem.NotFound("No existe esa conversación en esta empresa.");
        }

        state.State.Handoff = human;
        state.State.Awaiting = null;
        await state.WriteStateAsync();
        await transcripts.SetStateAsync(state.State.ConversationId, human);
        return (await GetDetailAsync())!;
    }

    public async Task<Outcome<ConversationDetail>> SendAsHumanAsync(Actor actor, string text)
    {
        if (!state.State.Started)
        {
            return Problem.NotFound("No existe esa conversación en esta empresa.");
        }

        var (empresaId, channel, address) = Key;
        if (channel != ChannelKinds.Api)
        {
            if (await channels.FindForTenantAsync(empresaId, channel) is not { } record)
            {
                return Problem.Conflict($"El canal {channel} de la empresa ya no está configurado.");
            }

            var sent = await senders.SendAsync(record, address, new OutgoingMessage(text));
            await channels.RecordOutboundAsync(state.State.ConversationId, sent.ExternalId, sent.Sent ? "enviado" : "fallido", sent.ErrorCode, sent.ErrorMessage);
            if (!sent.Sent)
            {
                return new Problem(ProblemKind.Unavailable, $"El canal rechazó el mensaje ({sent.ErrorCode}): {sent.ErrorMessage}");
            }
        }

        Record("humano", text, clock.GetUtcNow().UtcDateTime);
        await state.WriteStateAsync();
        await transcripts.AppendAsync(state.State.ConversationId, "humano", text, state.State.Handoff, null, null);
        return (await GetDetailAsync())!;
    }

    public async Task<ConversationDetail?> GetDetailAsync()
    {
        if (!state.State.Started)
        {
            return null;
        }

        var (summary, messages) = await transcripts.DetailAsync(state.State.ConversationId);
        var (empresaId, channel, _) = Key;
        var cart = await new SalesTools(GrainFactory, empresaId, channel, state.State, AgentActor).CartAsync();
        return summary is null ? null : new ConversationDetail(summary, messages, cart, state.State.Orders.ToList());
    }

    private async Task<Outcome<ChatReply>> AnswerAsync(ChatTurn turn, string? senderName = null)
    {
        var (empresaId, channel, address) = Key;
        var profile = await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
        if (profile is null)
        {
            return Problem.NotFound("La empresa no existe.");
        }

        if (drivers.Find(turn.Driver) is not { } driver)
        {
            return Problem.Invalid("llm", $"Proveedor desconocido. Usa uno de: {string.Join(", ", drivers.Names)}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var session = state.State;
        if (!session.Started)
        {
            session.Started = true;
            session.StartedAt = now;
            var id = channel == ChannelKinds.Api && Guid.TryParseExact(address, "N", out var apiId) ? apiId : Guid.CreateVersion7();
            session.ConversationId = await transcripts.EnsureAsync(id, this.GetPrimaryKeyString(), empresaId, channel, address);
        }

        session.LastInboundAt = now;
        Record("cliente", turn.Text, now);
        var tools = new SalesTools(GrainFactory, empresaId, channel, session, turn.Actor);
        if (turn.CustomerPhone is not null && session.CustomerPhone is null)
        {
            tools.CaptureCustomer(phone: turn.CustomerPhone);
        }

        await transcripts.AppendAsync(session.ConversationId, "cliente", turn.Text, session.Handoff, senderName, session.CustomerPhone);
        AgentReply reply;
        if (session.Handoff)
        {
            // A person took this chat over: the agent keeps quiet and only records the message.
            reply = new AgentReply(string.Empty, ChatTypes.General, []);
        }
        else
        {
            var settings = new AgentSettings(profile.Name, profile.AgentName, turn.Tone ?? profile.Tone,
                turn.Instructions ?? profile.Instructions, CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, turn.Type);
            try
            {
                reply = await driver.RespondAsync(tools, turn.Text, settings);
            }
            catch (Exception e) when (e is not OrleansException)
            {
                // An LLM provider that fails must not take the conversation down: say so, keep the session.
                logger.LogError(e, "Agent driver {Driver} failed for {Conversation}", driver.Name, this.GetPrimaryKeyString());
                await state.WriteStateAsync();
                return new Problem(ProblemKind.Unavailable,
                    $"El asistente ({driver.Name}) no está disponible en este momento. Intenta de nuevo o usa llm=offline.", RetryAfterSeconds: 5);
            }

            Record("agente", reply.Text, clock.GetUtcNow().UtcDateTime);
            await transcripts.AppendAsync(session.ConversationId, "agente", reply.Text, false, session.CustomerName, session.CustomerPhone);
        }

        var cart = await tools.CartAsync();
        return new ChatReply(reply.Text, turn.Type ?? reply.Type,
            reply.Products.Select(p => new ProductCard(p.Id, p.Sku, p.Name, p.Price, p.Stock)).ToList(),
            cart, session.Awaiting, reply.OrderId);
    }

    // Choices as a WhatsApp list, the final confirmation as two buttons, everything else as text.
    // Prices in the list are written as in the answer's text, in the empresa's culture ($189.900 in es-CO).
    private static OutgoingMessage Outgoing(ChatReply reply, EmpresaProfile? profile) =>
        reply.Awaiting == Conversations.Awaiting.Confirmation
            ? new OutgoingMessage(reply.Text, Buttons: [("si", "Sí, confirmar"), ("no", "No")])
            : reply.Products.Count > 1
                ? new OutgoingMessage(reply.Text, Choices: reply.Products
                    .Select(p => ($"p:{p.Id:N}", p.Name, $"{Money(p.Price, profile)} · {p.Stock} disponibles")).ToList())
                : new OutgoingMessage(reply.Text);

    private static string Money(decimal amount, EmpresaProfile? profile) => profile is null
        ? amount.ToString("N0", CultureInfo.InvariantCulture)
        : new AgentSettings(profile.Name, profile.AgentName, profile.Tone, profile.Instructions, CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, null).Money(amount);

    private void Record(string role, string text, DateTime at)
    {
        state.State.Turns.Add(new TurnRecord { Role = role, Text = text, At = at });
        if (state.State.Turns.Count > KeptTurns)
        {
            state.State.Turns.RemoveRange(0, state.State.Turns.Count - KeptTurns);
        }
    }
}
