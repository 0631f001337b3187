package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:mqtt-status}. */
@Command(scope = "sitegate", name = "mqtt-status", description = "Shows the MQTT connection to the cloud, the queue of acks and events waiting, and the last error.")
@Service
public class MqttStatusCommand implements Action {
    @Reference(optional = true)
    PolicyAgent agent;

    @Override
    public Object execute() {
        PolicyAgent a = Agents.require(agent);
        var s = a.mqtt();
        System.out.println("Connection: " + s.state() + " since " + s.since() + (s.failedAttempts() > 0 ? ", " + s.failedAttempts() + " failed attempt(s)" : ""));
        System.out.println("Queue:      " + a.queued() + " waiting, " + a.dropped() + " dropped (oldest first, when full)");
        System.out.println("Last error: " + (s.lastError() == null || s.lastError().isEmpty() ? "none" : s.lastError()));
        return null;
    }
}
