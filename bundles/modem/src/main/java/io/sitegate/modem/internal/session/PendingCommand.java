package io.sitegate.modem.internal.session;

import io.sitegate.modem.AtCommand;
import io.sitegate.modem.FinalResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The command in flight: the reader thread adds lines and completes it, the caller's thread waits. */
final class PendingCommand {

    private final AtCommand command;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<FinalResult> result = new CompletableFuture<>();
    private final CountDownLatch prompt = new CountDownLatch(1);
    private final Set<String> payloadLines;
    private boolean echoSeen;

    PendingCommand(AtCommand command) {
        this.command = command;
        this.payloadLines = command.payload() == null ? Set.of()
                : Set.copyOf(List.of(command.payload().strip().split("\\s*[\r\n]+\\s*")));
    }

    AtCommand command() {
        return command;
    }

    /** The echo of the command line (echo on) or of the SMS text: not part of the response. */
    boolean isEcho(String line) {
        String cleaned = line.replace("\u001A", "").strip();
        if (!echoSeen && cleaned.equalsIgnoreCase(command.line().strip())) {
            echoSeen = true;
            return true;
        }
        return prompt.getCount() == 0 && payloadLines.contains(cleaned);
    }

    synchronized void addLine(String line) {
        lines.add(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    void promptSeen() {
        prompt.countDown();
    }

    boolean expectsPrompt() {
        return command.payload() != null && prompt.getCount() > 0;
    }

    void complete(FinalResult finalResult) {
        result.complete(finalResult);
        prompt.countDown();
    }

    void fail(Throwable cause) {
        result.completeExceptionally(cause);
        prompt.countDown();
    }

    boolean isDone() {
        return result.isDone();
    }

    /** Waits for the prompt (or an early final result); false on timeout. */
    boolean awaitPrompt(Duration timeout) throws InterruptedException {
        return prompt.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** The final result, or null when {@code timeout} passed first. */
    FinalResult awaitFinal(Duration timeout) throws InterruptedException, ExecutionException {
        try {
            return result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }
}
