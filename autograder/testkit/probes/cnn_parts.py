"""Trusted train_one_epoch and evaluate, swapped in while the student's fit runs.

They follow the assignment's text, so that fit is graded on what it does itself
(one optimizer, its settings, the loss, the history) and a mistake in the
student's own train_one_epoch or evaluate costs only that task.
"""

from __future__ import annotations

import torch


def trusted_train_one_epoch(net, loader, criterion, optimizer, device):
    """One pass of SGD steps in train mode, as the text describes it; the mean loss per sample."""
    net.train()
    total_loss, count = 0.0, 0
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        count += len(labels)
    return total_loss / count


def trusted_evaluate(net, loader, criterion, device):
    """Mean loss and accuracy, in eval mode without gradients, as the text describes it."""
    net.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            logits = net(inputs)
            total_loss += criterion(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return total_loss / count, correct / count
