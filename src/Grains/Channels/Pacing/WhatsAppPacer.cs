using System.Collections.Concurrent;
using AgenteVendedor.Channels.Pacing;

namespace AgenteVendedor.Channels;

/// <summary>
/// Where every WhatsApp send waits for its turn (one per silo): first the customer's token from the pair's
/// <see cref="IRecipientPacerGrain"/>, then a slot of the business number from its
/// <see cref="IWhatsAppThroughputGrain"/>, reserved a few at a time so most sends cost no grain call.
/// A reserved slot that passed unused is dropped, never spent late next to the following ones.
/// </summary>
public sealed class WhatsAppPacer(IGrainFactory grains, PacingOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, NumberSlots> _numbers = new(StringComparer.Ordinal);

    public async Task WaitForTurnAsync(string phoneNumberId, string recipient, CancellationToken cancellationToken)
    {
        var wait = await grains.GetGrain<IRecipientPacerGrain>($"{phoneNumberId}/{recipient}").TakeAsync();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }

        var numberSlots = _numbers.GetOrAdd(phoneNumberId, id => new NumberSlots(grains.GetGrain<IWhatsAppThroughputGrain>(id), options.Spacing, clock));
        var slot = await numberSlots.NextAsync(cancellationToken);
        var delay = slot - clock.GetUtcNow().UtcDateTime;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    private sealed class NumberSlots(IWhatsAppThroughputGrain grain, TimeSpan spacing, TimeProvider clock)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Queue<DateTime> _slots = new();
        private int _waiting;

        public async Task<DateTime> NextAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _gate.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _waiting);
                throw;
            }

            try
            {
                var waiting = Interlocked.Decrement(ref _waiting);
                var stale = clock.GetUtcNow().UtcDateTime - spacing;
                while (_slots.TryPeek(out var old) && old < stale)
                {
                    _slots.Dequeue();
                }

                if (_slots.Count == 0)
                {
                    // As many slots as there are sends queued behind this one (and this one).
                    var granted = await grain.ReserveAsync(waiting + 1);
                    for (var i = 0; i < granted.Count; i++)
                    {
                        _slots.Enqueue(granted.First + granted.Spacing * i);
                    }
                }

                return _slots.Dequeue();
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
